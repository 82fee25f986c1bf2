"""API: the published data, streamed, with ETags so that harvesters can poll cheaply."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from ninja import Router

from thrive.api.errors import ApiError, ErrorOut
from thrive.opendata import publishing, selectors

router = Router(tags=["open data"])

JSON_RESPONSE = {
    "responses": {
        "200": {
            "description": "A 360Giving data package (JSON), streamed",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "304": {"description": "Not modified since the ETag sent in If-None-Match"},
    }
}


@router.get(
    "/opendata/360giving.json",
    auth=None,
    response={404: ErrorOut},
    summary="The council's grants in the 360Giving Data Standard",
    openapi_extra=JSON_RESPONSE,
)
def threesixty(request: HttpRequest, council: str | None = None) -> HttpResponse:
    """Every grant (small grants and funding agreements) of a council, as a 360Giving package.

    `council` is the council's slug; without it, the installation's first council.
    """
    found = selectors.council_for_slug(council)
    if found is None:
        raise ApiError(404, "not_found", f"No council is called {council!r}.")
    etag = f'"{publishing.fingerprint(found)}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = StreamingHttpResponse(
        publishing.iter_json(found), content_type="application/json; charset=utf-8"
    )
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response

"""API: the published data, streamed, with ETags so that harvesters can poll cheaply."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from ninja import Router

from thrive.api.errors import ApiError, ErrorOut
from thrive.opendata import ocds, publishing, selectors

router = Router(tags=["open data"])


def _streamed(description: str) -> dict:
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {"application/json": {"schema": {"type": "object"}}},
                "headers": {
                    "ETag": {"schema": {"type": "string"}},
                    "Cache-Control": {"schema": {"type": "string"}},
                },
            },
            "304": {"description": "Not modified since the ETag sent in If-None-Match"},
        }
    }


JSON_RESPONSE = _streamed("A 360Giving data package (JSON), streamed")
OCDS_RESPONSE = _streamed("An OCDS 1.1 release package (JSON), streamed")


def _publish(request: HttpRequest, slug: str | None, fingerprint, body) -> HttpResponse:
    """Stream ``body(council)`` with an ETag; 304 when the harvester already has it."""
    found = selectors.council_for_slug(slug)
    if found is None:
        raise ApiError(404, "not_found", f"No council is called {slug!r}.")
    etag = f'"{fingerprint(found)}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = StreamingHttpResponse(body(found), content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


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
    return _publish(request, council, publishing.fingerprint, publishing.iter_json)


@router.get(
    "/opendata/ocds.json",
    auth=None,
    response={404: ErrorOut, 503: ErrorOut},
    summary="The council's contracting in the Open Contracting Data Standard",
    openapi_extra=OCDS_RESPONSE,
)
def ocds_package(request: HttpRequest, council: str | None = None) -> HttpResponse:
    """A council's commissioning intentions, opportunities, awards, contracts and payments as
    an OCDS 1.1 release package: one release per stage (planning, tender, award, contract,
    implementation). Sealed bids are never published; the number of tenderers appears only
    once the bids have been opened.

    `council` is the council's slug; without it, the installation's first council.
    Refused (503, `site_address_missing`) while the service's web address is not set.
    """
    if ocds.site_address_missing():
        raise ApiError(503, "site_address_missing", ocds.SITE_ADDRESS_MISSING)
    return _publish(request, council, ocds.fingerprint, ocds.iter_json)

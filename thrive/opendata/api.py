"""API: the published data, streamed, with ETags so that harvesters can poll cheaply."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from thrive.accounts.api_auth import PUBLIC_AUTH
from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ApiError, ErrorOut
from thrive.core.api.types import Id, Page, PageSize
from thrive.opendata import ocds, publishing, selectors
from thrive.opendata.models import RecipientStatus

router = Router(tags=["open data"])


def _streamed(description: str) -> dict:
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {"application/json": {"schema": {"type": "object"}}},
                "headers": {
                    "ETag": {
                        "description": "Send it back in If-None-Match to be answered 304 "
                        "while the data is unchanged.",
                        "schema": {"type": "string"},
                    },
                    "Cache-Control": {"schema": {"type": "string"}},
                },
            },
            "304": {
                "description": "Not modified since the ETag sent in If-None-Match",
                "headers": {"ETag": {"schema": {"type": "string"}}},
            },
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
    auth=PUBLIC_AUTH,
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
    auth=PUBLIC_AUTH,
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


# --- other funders' grants, as imported ------------------------------------------------------


class ImportRunOut(Schema):
    id: int
    source_name: str
    imported_at: datetime


class ExternalGrantOut(Schema):
    id: int
    grant_id: str
    title: str
    description: str
    currency: str
    amount_awarded: Decimal
    award_date: date
    planned_start: date | None
    planned_end: date | None
    funder_org_id: str
    funder_name: str
    funder_department: str
    recipient_org_id: str
    recipient_name: str
    recipient_id: int | None
    recipient_status: RecipientStatus
    programme: str
    from_open_call: str
    import_run: ImportRunOut


class LocationOut(Schema):
    geo_code: str
    geo_code_type: str
    name: str
    country_code: str


class ClassificationOut(Schema):
    vocabulary: str
    code: str
    title: str


class ExternalGrantDetailOut(ExternalGrantOut):
    locations: list[LocationOut]
    classifications: list[ClassificationOut]
    warnings: list[Any]
    data: dict[str, Any]


class ExternalGrantPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ExternalGrantOut]


class ExternalGrantQuery(Schema):
    recipient: Id | None = None
    funder: Annotated[str, Field(max_length=255, pattern=r"^[^\x00]*$")] | None = None
    award_date_from: date | None = None
    award_date_to: date | None = None
    import_run: Id | None = None
    status: RecipientStatus | None = None
    page: Page = 1
    page_size: PageSize = 25


def _filtered(user: Any, filters: ExternalGrantQuery) -> Any:
    start, end = filters.award_date_from, filters.award_date_to
    if start and end and start > end:
        message = "The start of the award dates must not be after their end."
        raise ApiError(400, "invalid", message, {"award_date_from": [message]})
    grants = selectors.external_grants_for(user)
    anyones = policy.is_staff_user(user) or filters.recipient is None
    if not anyones and not user.memberships.filter(organisation_id=filters.recipient).exists():
        raise ApiError(403, "forbidden", "You may read only your own organisation's grants.")
    chosen = {
        "recipient_id": filters.recipient,
        "funder_org_id": filters.funder,
        "award_date__gte": filters.award_date_from,
        "award_date__lte": filters.award_date_to,
        "import_run_id": filters.import_run,
        "recipient_status": filters.status,
    }
    return grants.filter(**{k: v for k, v in chosen.items() if v is not None})


@router.get(
    "/external-grants",
    response={200: ExternalGrantPageOut, 400: ErrorOut, **ERRORS_READ},
    summary="Other funders' grants imported from 360Giving files",
)
def list_external_grants(
    request: HttpRequest, filters: Query[ExternalGrantQuery]
) -> dict[str, Any]:
    """Grants other funders published, as imported, newest award first, paginated.

    Council staff read every imported grant (it is public data), held ones too; provider
    users read the grants to their own organisations. Filter by `recipient` (an
    organisation's id), `funder` (the funder's org-id), `award_date_from` and
    `award_date_to` (inclusive), `import_run` (its id) and `status` (how the recipient was
    matched). 400 when the dates are the wrong way round; 403 when a provider user asks
    for another organisation's grants.
    """
    policy.require(request.auth, "opendata.external_grants.view")
    grants = _filtered(request.auth, filters).order_by("-award_date", "-pk")
    page_size = min(filters.page_size, 100)
    page = Paginator(grants, page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "page_size": page_size,
        "results": list(page),
    }


@router.get(
    "/external-grants/{grant_pk}",
    response={200: ExternalGrantDetailOut, **ERRORS_READ},
    summary="One imported grant, with the grant as its funder published it",
)
def get_external_grant(request: HttpRequest, grant_pk: Id) -> Any:
    """The grant with its beneficiary locations, classifications, the import's warnings
    about it and `data`: the grant exactly as the funder published it (every field, any
    extra one). 404 when there is no such grant or it is another organisation's."""
    policy.require(request.auth, "opendata.external_grants.view")
    grant = (
        selectors.external_grants_for(request.auth)
        .prefetch_related("locations", "classifications")
        .filter(pk=grant_pk)
        .first()
    )
    if grant is None:
        raise ApiError(404, "not_found", "No such grant.")
    return grant

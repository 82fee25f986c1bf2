"""The open data page and the spreadsheet downloads (JSON comes from the API)."""

from __future__ import annotations

import io

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition

from thrive.core import policy
from thrive.opendata import publishing, selectors, transparency


def _council(slug: str):
    council = selectors.council_for_slug(slug)
    if council is None:
        raise Http404("No such council")
    return council


def _etag(request: HttpRequest, slug: str, fmt: str = "") -> str:
    council = selectors.council_for_slug(slug)
    return f"{publishing.fingerprint(council)}-{fmt}" if council else ""


@policy.rule(policy.PUBLIC)
def index(request: HttpRequest) -> HttpResponse:
    """Where to download everything the councils publish, under the Open Government Licence."""
    return render(request, "opendata/index.html", {"publications": selectors.publications()})


@policy.rule(policy.PUBLIC)
@condition(etag_func=lambda request, slug, fmt: _etag(request, slug, fmt))
def grants_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The council's 360Giving grants as XLSX or CSV."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("Grants are published as .csv or .xlsx here, and as JSON in the API")
    council = _council(slug)
    name = f"{council.slug}-360giving-grants"
    if fmt == "csv":
        response = StreamingHttpResponse(
            publishing.iter_csv(council), content_type="text/csv; charset=utf-8"
        )
    else:
        buffer = io.BytesIO()
        publishing.write_xlsx(council, buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@policy.rule(policy.PUBLIC)
def transparency_file(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    """One Local Government Transparency Code dataset of the council, as CSV."""
    if dataset not in transparency.DATASETS:
        raise Http404("The datasets are tenders, contracts and grants")
    council = _council(slug)
    response = StreamingHttpResponse(
        transparency.iter_csv(council, dataset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{transparency.filename(council, dataset)}"'
    )
    response["Cache-Control"] = "public, max-age=300"
    return response

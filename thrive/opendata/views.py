"""The open data page and the spreadsheet downloads (JSON comes from the API)."""

from __future__ import annotations

import io

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import condition

from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.opendata import forms, grant_sheets, ocds, publishing, selectors, services, transparency


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
    return render(
        request,
        "opendata/index.html",
        {
            "publications": selectors.publications(),
            "ocds_refused": ocds.SITE_ADDRESS_MISSING if ocds.site_address_missing() else "",
            "may_configure": policy.can(request.user, "opendata.settings"),
        },
    )


@policy.rule("opendata.settings")
def publisher_settings(request: HttpRequest) -> HttpResponse:
    """How the council publishes: its 360Giving prefix, ocid prefix and funder org-id."""
    council = request.user.council
    publisher = publishing.publisher_of(council)
    policy.require(request.user, "opendata.settings", publisher)
    form = forms.PublisherForm(posted(request), instance=publisher)
    return handle_form(
        request,
        form,
        save=lambda form: services.save_publisher_settings(
            council=council, actor=request.user, **form.cleaned_data
        ),
        success_url=reverse("opendata:index"),
        message="Publishing settings saved.",
        template="opendata/settings.html",
        council=council,
    )


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
            grant_sheets.iter_csv(council), content_type="text/csv; charset=utf-8"
        )
    else:
        buffer = io.BytesIO()
        grant_sheets.write_xlsx(council, buffer)
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

"""The register: list, search, export, staff additions and the bulk import."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from thrive.accounts.models import User
from thrive.core import export_jobs, policy
from thrive.core.export_registry import Table
from thrive.core.exports import EXPORT_FORMATS
from thrive.core.form_views import handle_form, posted
from thrive.organisations import extensions, importing, register_export, selectors, services
from thrive.organisations.forms import (
    ImportForm,
    RegisterFilterForm,
    StaffAddOrganisationForm,
)
from thrive.organisations.models import (
    Organisation,
    RecordSource,
)
from thrive.organisations.selectors import RegisterFilters
from thrive.organisations.views.common import PAGE_SIZE


@policy.rule("organisations.register.view")
def register_list(request: HttpRequest) -> HttpResponse:
    """The register: search, filters and pages, with links to export what is shown."""
    form = RegisterFilterForm(request.GET or None, council=request.user.council)
    filters = form.filters()
    organisations = selectors.organisations_for_user(user=request.user, filters=filters)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = page.object_list = selectors.register_page(
        organisations,
        user=request.user,
        start=max(page.start_index() - 1, 0),
        stop=page.end_index(),
    )
    for show in extensions.register_page_rows:
        show(rows)
    for org in rows:
        org.register_flags = selectors.register_flags(org)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "export_formats": EXPORT_FORMATS,
            "filtered": bool(filters.as_query()),
        },
    )


EXPORT_HEADERS = [
    "id",
    "name",
    "other_names",
    "legal_form",
    "identifiers",
    "postcode",
    "town",
    "website",
    "email",
    "size_band",
    "latest_income_pounds",
    "latest_income_year",
    "third_sector_test",
    "funded_by_your_council",
    "source",
    "funded_by_others",
    "charity_register_flags",
]


@policy.rule("organisations.register.view")
def export(request: HttpRequest) -> HttpResponse:
    """The filtered register as CSV, XLSX or ODS, audited; a large one is made in the background."""
    response = export_jobs.respond(request, "organisations.register")
    organisations, filters = _filtered(request.user, request.GET)
    services.record_register_export(
        actor=request.user,
        fmt=request.GET.get("format", "csv"),
        filters=filters.as_query(),
        rows=organisations.count(),
    )
    return response


def _filtered(user: User, params: QueryDict) -> tuple[QuerySet[Organisation], RegisterFilters]:
    filters = RegisterFilterForm(params, council=user.council).filters()
    return selectors.organisations_for_user(user=user, filters=filters), filters


def register_table(user: User, params: QueryDict) -> Table:
    """The register as ``user`` sees it with the page's filters, as export rows."""
    organisations, _ = _filtered(user, params)
    return Table(
        title="Register",
        headers=EXPORT_HEADERS,
        rows=register_export.register_export_rows(organisations, user=user),
        filename="organisation-register",
        count=organisations.count,
    )


@policy.rule("organisations.register.create")
def add(request: HttpRequest) -> HttpResponse:
    """Staff add an organisation to the register."""

    def save(form: StaffAddOrganisationForm) -> Organisation:
        data = form.cleaned_data
        return services.register_organisation(
            actor=request.user,
            source=RecordSource.STAFF,
            fields={
                "name": data["name"],
                "legal_form": data["legal_form"],
                "postcode": data["postcode"],
            },
            org_ids=[data["org_id"]] if data["org_id"] else [],
        )

    return handle_form(
        request,
        StaffAddOrganisationForm(posted(request)),
        save=save,
        success_url=lambda organisation: reverse("organisations:detail", args=[organisation.pk]),
        message=lambda organisation: f"{organisation.name} added to the register.",
        renames={"identifiers": "org_id"},
        template="organisations/add.html",
    )


@policy.rule("organisations.register.import")
def import_file(request: HttpRequest) -> HttpResponse:
    """Staff import organisations from a CSV or XLSX file: all rows or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importing.import_organisations(
            content=upload.read(),
            filename=upload.name,
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not result.dry_run:
            messages.success(request, result.summary())
            return redirect("organisations:list")
    return render(
        request,
        "organisations/import.html",
        {
            "form": form,
            "result": result,
            "columns": importing.COLUMNS,
            "page_has_errors": bool(result and result.errors),
        },
    )

"""The register of awards, searchable and exportable."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from thrive.accounts.models import User
from thrive.awards import forms, selectors
from thrive.awards.models import Award
from thrive.awards.views.common import CappedPaginator
from thrive.core import export_jobs, policy
from thrive.core.export_registry import Table
from thrive.core.exports import EXPORT_FORMATS
from thrive.strategy.models import Directorate, FinancialYear


def _register_filters(request: HttpRequest) -> tuple[forms.RegisterFilterForm, QuerySet[Award]]:
    return _filter_register(request.user, request.GET)


def _filter_register(
    user: User, params: QueryDict
) -> tuple[forms.RegisterFilterForm, QuerySet[Award]]:
    council_id = user.council_id
    directorates = list(
        Directorate.objects.filter(council_id=council_id).order_by("name")
        if council_id
        else Directorate.objects.order_by("council__name", "name")
    )
    calendar_years = selectors.register_years(council_id=council_id)
    years = sorted(
        {y - 1 for y in calendar_years}
        | calendar_years
        | {FinancialYear.start_year_for(timezone.localdate())},
        reverse=True,
    )
    form = forms.RegisterFilterForm(params or None, directorates=directorates, years=years)
    filters = selectors.RegisterFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.RegisterFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            directorate=data.get("directorate"),
            status=data.get("status") or "",
            year=data.get("year"),
        )
    return form, selectors.register(user=user, filters=filters)


@policy.rule("awards.register")
def register(request: HttpRequest) -> HttpResponse:
    """The register of agreements, contracts and small grants, searchable and exportable."""
    form, awards = _register_filters(request)
    searched = form.is_valid() and bool(form.cleaned_data.get("q"))
    page = CappedPaginator(awards, 25, searched=searched).get_page(request.GET.get("page"))
    page.object_list = selectors.register_page(
        awards, start=max(page.start_index() - 1, 0), stop=page.end_index()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/register.html",
        {
            "form": form,
            "page": page,
            "rows": [(a, selectors.route_label(a), selectors.org_ids(a)) for a in page],
            "export_formats": EXPORT_FORMATS,
            "query": query.urlencode(),
        },
    )


@policy.rule("awards.register")
def export(request: HttpRequest) -> HttpResponse:
    """The filtered register as CSV, XLSX or ODS (a large one is made in the background)."""
    return export_jobs.respond(request, "awards.register")


def register_table(user: User, params: QueryDict) -> Table:
    """The register as ``user`` sees it with the page's filters, as export rows."""
    _, awards = _filter_register(user, params)
    return Table(
        title="Awards",
        headers=selectors.REGISTER_HEADERS,
        rows=selectors.register_rows(awards),
        filename="awards-register",
        count=awards.count,
    )

"""Who funds whom: every funder of the organisations in an area of the council, by year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.models import Area
from thrive.reporting import charts, funders
from thrive.reporting.forms import _year_choices
from thrive.reporting.presentation import whole_pounds
from thrive.reporting.selectors.common import year_label
from thrive.strategy import selectors as strategy_selectors

CHART_FUNDERS = 15


class FundersFiltersForm(forms.Form):
    """Area and year; an unknown value is shown as an error and the figures cover all."""

    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(
        label="Financial year", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, areas: list[Area], years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "The whole council area")] + [
            (str(a.pk), a.name) for a in areas if not a.county_wide
        ]
        self.fields["year"].choices = _year_choices(years)
        self.fields["area"].error_messages["invalid_choice"] = "Select an area from the list"
        self.fields["year"].error_messages["invalid_choice"] = "Select a year from the list"


def _filters(
    request: HttpRequest,
) -> tuple[funders.FunderFilters, FundersFiltersForm, funders.Scope]:
    """The filters, their form, and the chosen area's scope: the whole council's (which
    also gives the years to choose from) is worked out once and used for both."""
    council = strategy_selectors.council_for(request.user, request.GET.get("council"))
    policy.require(request.user, "reporting.view", council)
    areas = list(Area.objects.filter(council=council))
    whole = funders.scope_for(council, every=areas)
    form = FundersFiltersForm(request.GET or None, areas=areas, years=whole.years)
    area = year = None
    if form.is_bound and form.is_valid():
        area = next((a for a in areas if a.pk == form.cleaned_data["area"]), None)
        year = form.cleaned_data["year"]
    scope = whole if area is None else funders.scope_for(council, area, every=areas)
    return funders.FunderFilters(council, area, year), form, scope


@policy.rule("reporting.view")
def who_funds_whom(request: HttpRequest) -> HttpResponse:
    """Every funder on this service and in imported data, with totals by year."""
    filters, form, scope = _filters(request)
    result = funders.who_funds_whom(filters, scope=scope)
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return export_response(
            headers=funders.HEADERS,
            rows=funders.export_rows(result),
            fmt=fmt,
            filename="who-funds-whom",
            title="Who funds whom",
        )
    top = result.totals[:CHART_FUNDERS]
    chart = (
        charts.bar_chart(
            title="Funding by funder",
            rows=[(row.funder, row.amount_pence) for row in top],
            fmt=whole_pounds,
        )
        if top
        else None
    )
    return render(
        request,
        "reporting/who_funds_whom.html",
        {
            "council": filters.council,
            "filters": filters,
            "filters_form": form,
            "page_has_errors": form.is_bound and bool(form.errors),
            "result": result,
            "chart": chart,
            "chart_rows": top,
            "query": filters.query(),
            "year_label": year_label(filters.year) if filters.year is not None else "",
            "formats": EXPORT_FORMATS,
        },
    )

"""Background work for reporting: add a council's report figures up again after a change."""

from __future__ import annotations

from django_tasks import task

from thrive.accounts.models import Council
from thrive.reporting import funders, selectors
from thrive.reporting.selectors.common import current_year


@task()
def keep_figures(council_id: int) -> None:
    """Add up and keep the figures the reports open with (every year's investment, the
    years, outcomes and indicators, this year's and last year's annual report, and who funds
    whom in the council's whole area), so the first page after a change reads them kept.
    Figures kept already at the current version are left as they are.
    """
    council = Council.objects.filter(pk=council_id).first()
    if council is None:
        return
    year = current_year()
    selectors.investment(selectors.Filters(council))
    selectors.financial_years(council)
    selectors.outcome_progress(selectors.Filters(council))
    selectors.indicators(council)
    for chosen in (year, year - 1):
        selectors.annual_report(council, chosen)  # its investment, outcomes and concerns
    funders.who_funds_whom(funders.FunderFilters(council))


@task()
def keep_funders(council_id: int) -> None:
    """Add up and keep who funds whom in the council's whole area, after an import."""
    council = Council.objects.filter(pk=council_id).first()
    if council is not None:
        funders.who_funds_whom(funders.FunderFilters(council))

"""API for reporting: the investment totals the dashboard shows (§3.2)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ApiError, ErrorOut
from thrive.core.api.types import Id, Year
from thrive.reporting import selectors
from thrive.reporting.selectors.common import current_year, year_label
from thrive.strategy import selectors as strategy_selectors

router = Router(tags=["reporting"])


class RowOut(Schema):
    label: str
    amount_pence: int
    awards: int
    share: float


class TableOut(Schema):
    key: str
    title: str
    rows: list[RowOut]


class YearOut(Schema):
    start_year: int
    label: str
    so_far: bool


class InvestmentOut(Schema):
    council: str
    years: list[YearOut]
    year: int | None
    directorate_id: int | None
    total_pence: int
    awards: int
    organisations: int
    long_term_pence: int
    long_term_share: float
    small_pence: int
    small_share: float
    lead_funder_multi_funded: int | None
    lead_funder_covered: int | None
    returns_due: int | None
    returns_on_time: int | None
    returns_overdue: int | None
    tables: list[TableOut]


def _table(table: selectors.Table) -> TableOut:
    return TableOut(
        key=table.key,
        title=table.title,
        rows=[RowOut(**row.__dict__) for row in table.rows],
    )


@router.get(
    "/reports/investment",
    response={200: InvestmentOut, 422: ErrorOut, **ERRORS_READ},
    summary="Investment totals",
)
def investment(
    request: HttpRequest,
    year: Year | None = None,
    directorate: Id | None = None,
    council: Id | None = None,
) -> InvestmentOut:
    """The dashboard's totals, in pence, for council staff who read reports.

    ``year`` is the financial year's first calendar year (2026 for April 2026 to March
    2027); without it, every year. ``years`` lists the years that have started and have
    awards, newest first, the running one marked ``so_far``; a year not yet started is 422.
    ``directorate`` narrows to one directorate's awards.
    401 without credentials, 403 for anyone but the council's report readers, 404 for an
    unknown council, 422 for a year outside 2000–2100 or a directorate of another council.
    """
    user = request.auth
    policy.require(user, "reporting.view")
    chosen = strategy_selectors.council_for(user, council)
    policy.require(user, "reporting.view", chosen)
    if year is not None and not 2000 <= year <= 2100:
        raise ApiError(422, "invalid", "Enter a year between 2000 and 2100", {"year": [
            "Enter a year between 2000 and 2100"]})  # fmt: skip
    now = current_year()
    if year is not None and year > now:
        message = f"The financial year {year_label(year)} has not started yet"
        raise ApiError(422, "invalid", message, {"year": [message]})
    if directorate is not None and not chosen.directorates.filter(pk=directorate).exists():
        raise ApiError(422, "invalid", "Choose a directorate of the council", {"directorate": [
            "Choose a directorate of the council"]})  # fmt: skip
    result = selectors.investment(selectors.Filters(chosen, year, directorate))
    tables = [*result.tables, *([result.years] if result.years else [])]
    return InvestmentOut(
        council=chosen.name,
        years=[
            YearOut(start_year=y, label=year_label(y), so_far=y == now)
            for y in selectors.financial_years(chosen)
        ],
        year=year,
        directorate_id=directorate,
        total_pence=result.total_pence,
        awards=result.awards,
        organisations=result.organisations,
        long_term_pence=result.long_term_pence,
        long_term_share=result.long_term_share,
        small_pence=result.small_pence,
        small_share=result.small_share,
        lead_funder_multi_funded=result.lead_funder.multi_funded if result.lead_funder else None,
        lead_funder_covered=result.lead_funder.covered if result.lead_funder else None,
        returns_due=result.compliance.due if result.compliance else None,
        returns_on_time=result.compliance.on_time if result.compliance else None,
        returns_overdue=result.compliance.overdue if result.compliance else None,
        tables=[_table(t) for t in tables],
    )

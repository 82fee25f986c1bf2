"""National indicators (§5.1): NI 6 volunteering from monitoring returns, NI 7 from the survey.

NI 6 ("participation in regular volunteering") is read from what funded organisations
report in their returns: volunteer hours add up across a year's returns; the number of
volunteers is each plan's highest count in the year, added across plans (the same
volunteers appear in every return, so counts are not summed within a plan). NI 7 ("an
environment for a thriving Third Sector") comes from the strategy app's annual survey.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import connections
from django.db.models import Count, F, Max, Sum

from thrive.accounts.models import Council
from thrive.monitoring.models import MonitoringReturn
from thrive.reporting import kept
from thrive.reporting.selectors.common import financial_year_of, year_label, year_span
from thrive.strategy import selectors as strategy_selectors
from thrive.strategy.selectors import ActionPlanProgress, NI7Point


@dataclass
class Ni6Year:
    start_year: int
    returns: int = 0
    organisations_reporting: int = 0
    volunteers: int = 0
    volunteer_hours: int = 0

    @property
    def label(self) -> str:
        return year_label(self.start_year)


@dataclass
class Indicators:
    ni6: list[Ni6Year] | None
    ni7: list[NI7Point] | None


def ni6_series(council: Council) -> list[Ni6Year]:
    """NI 6 per financial year, kept until what it counts changes (``count_ni6``)."""
    return kept.figures(
        council.pk,
        "ni6",
        lambda: count_ni6(council),
        counts=(kept.MONITORING,),  # returns and their plans' organisations only
        dump=lambda years: [asdict(year) for year in years],
        load=lambda rows: [Ni6Year(**row) for row in rows],
    )


def count_ni6(council: Council) -> list[Ni6Year]:
    """NI 6 per financial year of the return's period end, from submitted or accepted returns.

    Two queries: the span of years, then every year's figures, each plan's peak and sums
    worked out inside the database and added up per year there (a row a plan and year
    read into Python was tens of thousands of rows at county scale).
    """
    sent = MonitoringReturn.objects.filter(
        plan__council=council, status__in=("submitted", "accepted")
    )
    returns = sent.annotate(fy=financial_year_of("period_end", year_span(sent, "period_end")))
    per_plan = (
        returns.order_by()
        .values("fy", "plan", organisation=F("plan__organisation"))
        .annotate(
            peak=Max("volunteers_count"),
            hours=Sum("volunteer_hours"),
            sent=Count("pk"),
        )
    )
    inner, params = per_plan.query.sql_with_params()
    connection = connections[per_plan.db]
    q = connection.ops.quote_name
    fy, peak, hours, count, org = (
        q(name) for name in ("fy", "peak", "hours", "sent", "organisation")
    )
    sql = (  # Django's own SQL for the plans' figures, and names quoted here
        f"SELECT per_plan.{fy}, SUM(per_plan.{count}), COUNT(DISTINCT per_plan.{org}),"  # noqa: S608  # nosec B608
        f" SUM(per_plan.{peak}), SUM(per_plan.{hours}) FROM ({inner}) per_plan"
        f" WHERE per_plan.{fy} IS NOT NULL GROUP BY per_plan.{fy} ORDER BY per_plan.{fy}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Ni6Year(
                start_year=int(year),
                returns=int(returns_sent),
                organisations_reporting=int(organisations),
                volunteers=int(volunteers or 0),
                volunteer_hours=int(volunteer_hours or 0),
            )
            for year, returns_sent, organisations, volunteers, volunteer_hours in cursor
        ]


def ni7_series(council: Council) -> list[NI7Point]:
    """The strategy app's NI 7 series, kept until a survey round or response changes."""
    return kept.figures(
        council.pk,
        "ni7",
        lambda: list(strategy_selectors.ni7_series(council)),
        counts=(kept.SURVEY,),
        dump=lambda points: [list(point) for point in points],
        load=lambda rows: [NI7Point(*row) for row in rows],
    )


def action_plan_progress(council: Council, year: int) -> ActionPlanProgress:
    """The strategy app's action plan progress for a financial year."""
    return strategy_selectors.action_plan_progress(council, year)


def indicators(council: Council, *, up_to: int | None = None) -> Indicators:
    """NI 6 and NI 7 for every year, or for the years up to and including ``up_to``."""
    ni6, ni7 = ni6_series(council), ni7_series(council)
    if up_to is not None:
        ni6 = None if ni6 is None else [y for y in ni6 if y.start_year <= up_to]
        ni7 = None if ni7 is None else [p for p in ni7 if int(str(p.year)[:4]) <= up_to]
    return Indicators(ni6=ni6, ni7=ni7)

"""The annual report to Cabinet for a financial year (§5.1)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.reporting import kept
from thrive.reporting.selectors.common import current_year
from thrive.reporting.selectors.feedback import FeedbackSummary, feedback_summary
from thrive.reporting.selectors.indicators import Indicators, action_plan_progress, indicators
from thrive.reporting.selectors.investment import Filters, Investment, investment
from thrive.reporting.selectors.monitoring import OVERDUE, returns_for
from thrive.reporting.selectors.outcomes import OutcomeLine, outcome_progress
from thrive.strategy.models import FundingPot

NEAR_EXHAUSTION = 0.9  # pots with 90% or more of their budget committed
CONCERN_LIMIT = 25  # rows of each concern listed; the count is always complete


@dataclass
class ReturnConcern:
    """A return the report names: overdue, or rated red."""

    plan: str
    due_date: date
    period_end: date
    rating_reason: str


@dataclass
class Concerns:
    overdue_returns: list[ReturnConcern] = field(default_factory=list)
    overdue_count: int = 0
    red_returns: list[ReturnConcern] = field(default_factory=list)
    red_count: int = 0
    pots: list[FundingPot] = field(default_factory=list)
    low_feedback: list[Any] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.overdue_count or self.red_count or self.pots or self.low_feedback)


@dataclass
class AnnualReport:
    council: Council
    year: int
    investment: Investment
    outcomes: list[OutcomeLine] | None
    indicators: Indicators
    action_plan: Any
    feedback: FeedbackSummary
    concerns: Concerns
    generated_at: Any

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def so_far(self) -> bool:
        """Whether the year is still running, so its figures are the year so far."""
        return self.year == current_year()


def pots_near_exhaustion(council: Council, year: int) -> QuerySet[FundingPot]:
    """The year's open pots with at least 90% of a non-zero budget committed."""
    return (
        FundingPot.objects.for_council(council.pk)
        .open()
        .filter(financial_year__start_year=year, budget_pence__gt=0)
        .filter(committed_pence__gte=F("budget_pence") * NEAR_EXHAUSTION)
        .select_related("directorate")
        .order_by("name")
    )


def concerns(filters: Filters, feedback: FeedbackSummary) -> Concerns:
    """Overdue returns, red ratings, pots near exhaustion and low feedback scores."""
    found = Concerns(low_feedback=feedback.low)
    if filters.year is not None:
        found.pots = list(pots_near_exhaustion(filters.council, filters.year))
    returns = kept.figures(
        filters.council.pk,
        f"concerns:{filters.year}:{filters.directorate_id}",
        lambda: return_concerns(filters),
        counts=(kept.GENERAL, kept.MONITORING),
        dump=lambda found: {key: _dump(value) for key, value in found.items()},
        load=lambda data: {key: _load(value) for key, value in data.items()},
    )
    for name, value in returns.items():
        setattr(found, name, value)
    return found


def _dump(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return [{**asdict(item), "due_date": str(item.due_date), "period_end": str(item.period_end)}
            for item in value]  # fmt: skip


def _load(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return [
        ReturnConcern(
            plan=item["plan"],
            due_date=date.fromisoformat(item["due_date"]),
            period_end=date.fromisoformat(item["period_end"]),
            rating_reason=item["rating_reason"],
        )
        for item in value
    ]


def _named(returns: Any) -> list[ReturnConcern]:
    return [
        ReturnConcern(str(item.plan), item.due_date, item.period_end, item.rating_reason)
        for item in returns.select_related("plan__organisation")[:CONCERN_LIMIT]
    ]


def return_concerns(filters: Filters) -> dict[str, Any]:
    """The overdue and red returns: how many, and the first of each by name."""
    returns = returns_for(filters)
    today = timezone.localdate()
    overdue = returns.filter(OVERDUE, due_date__lt=today).order_by("due_date")
    red = returns.filter(rating="red").order_by("-due_date")
    return {
        "overdue_count": overdue.count(),
        "overdue_returns": _named(overdue),
        "red_count": red.count(),
        "red_returns": _named(red),
    }


def annual_report(council: Council, year: int) -> AnnualReport:
    """Everything the annual report shows for the financial year starting in April ``year``."""
    filters = Filters(council=council, year=year)
    feedback = feedback_summary(filters)
    return AnnualReport(
        council=council,
        year=year,
        investment=investment(filters),
        outcomes=outcome_progress(filters),
        indicators=indicators(council, up_to=year),
        action_plan=action_plan_progress(council, year),
        feedback=feedback,
        concerns=concerns(filters, feedback),
        generated_at=timezone.now(),
    )

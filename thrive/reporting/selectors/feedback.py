"""Process feedback results by directorate and by kind of opportunity, and the applicants'
comments, without saying who made them (§5.2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, QuerySet

from thrive.accounts.models import Role
from thrive.core import policy
from thrive.opportunities.models import Opportunity, OpportunityKind
from thrive.reporting.models import LOW_SCORE, ProcessFeedback
from thrive.reporting.selectors.common import year_bounds, year_span
from thrive.reporting.selectors.investment import Filters


@dataclass
class FeedbackLine:
    label: str
    responses: int
    clarity: float
    proportionality: float
    fairness: float

    @property
    def lowest(self) -> float:
        return min(self.clarity, self.proportionality, self.fairness)

    @property
    def is_low(self) -> bool:
        return self.responses > 0 and self.lowest <= LOW_SCORE


@dataclass
class FeedbackSummary:
    overall: FeedbackLine
    by_directorate: list[FeedbackLine]
    by_kind: list[FeedbackLine]

    @property
    def low(self) -> list[FeedbackLine]:
        return [line for line in [*self.by_directorate, *self.by_kind] if line.is_low]


def feedback_for(filters: Filters) -> QuerySet[ProcessFeedback]:
    feedback = ProcessFeedback.objects.filter(council=filters.council)
    if filters.directorate_id is not None:
        feedback = feedback.filter(directorate_id=filters.directorate_id)
    if filters.year is not None:
        first, last = year_bounds(filters.year)
        feedback = feedback.filter(submitted_at__date__gte=first, submitted_at__date__lte=last)
    return feedback


def _lines(feedback: QuerySet, group: str, label_of) -> list[FeedbackLine]:
    values = (
        feedback.order_by()
        .values(group=F(group))
        .annotate(
            responses=Count("pk"),
            clarity=Avg("clarity"),
            proportionality=Avg("proportionality"),
            fairness=Avg("fairness"),
        )
    )
    lines = [
        FeedbackLine(
            label=label_of(row["group"]),
            responses=row["responses"],
            clarity=float(row["clarity"] or 0),
            proportionality=float(row["proportionality"] or 0),
            fairness=float(row["fairness"] or 0),
        )
        for row in values
    ]
    return sorted(lines, key=lambda line: line.label)


def feedback_summary(filters: Filters) -> FeedbackSummary:
    """Average scores (1–5) and counts overall, by directorate and by kind: three queries."""
    feedback = feedback_for(filters)
    kinds = dict(OpportunityKind.choices)
    overall = feedback.aggregate(
        responses=Count("pk"),
        clarity=Avg("clarity"),
        proportionality=Avg("proportionality"),
        fairness=Avg("fairness"),
    )
    return FeedbackSummary(
        overall=FeedbackLine(
            label="All",
            responses=overall["responses"],
            clarity=float(overall["clarity"] or 0),
            proportionality=float(overall["proportionality"] or 0),
            fairness=float(overall["fairness"] or 0),
        ),
        by_directorate=_lines(
            feedback, "directorate__name", lambda v: v or "No directorate recorded"
        ),
        by_kind=_lines(feedback, "opportunity_kind", lambda v: kinds.get(v, v)),
    )


def feedback_readable_by(*, user: Any, council: Any) -> QuerySet[ProcessFeedback]:
    """The council's feedback the user may read: a commissioner only their directorates'."""
    feedback = ProcessFeedback.objects.filter(council=council)
    if policy.is_system_admin(user) or policy.has_council_role(user, Role.STRATEGY_GROUP):
        return feedback
    return feedback.filter(directorate_id__in=user.directorate_ids())


def feedback_comment_choices(feedback: QuerySet[ProcessFeedback]) -> tuple[list[Any], range]:
    """The opportunities and financial years that have comments among this feedback."""
    commented = feedback.exclude(comment="")
    opportunities = list(
        Opportunity.objects.filter(pk__in=commented.values("application__opportunity_id")).order_by(
            "title", "pk"
        )
    )
    return opportunities, year_span(commented, "submitted_at")


def feedback_comments(
    feedback: QuerySet[ProcessFeedback], *, opportunity_id: int | None, year: int | None
) -> QuerySet[ProcessFeedback]:
    """Comments, newest first, with their opportunity but nothing that names the applicant."""
    feedback = feedback.exclude(comment="")
    if opportunity_id is not None:
        feedback = feedback.filter(application__opportunity_id=opportunity_id)
    if year is not None:
        first, last = year_bounds(year)
        feedback = feedback.filter(submitted_at__date__gte=first, submitted_at__date__lte=last)
    return (
        feedback.select_related("directorate")
        .annotate(opportunity_title=F("application__opportunity__title"))
        .defer("application_id", "submitted_by_id")
        .order_by("-submitted_at", "-pk")
    )

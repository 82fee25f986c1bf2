"""Targets against achievements, per outcome, across awards (§3.2, §5.1)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from thrive.awards.models import AwardTarget
from thrive.monitoring.models import TargetProgress
from thrive.reporting import kept
from thrive.reporting.selectors.investment import Filters, funded_awards


@dataclass
class OutcomeLine:
    code: str
    title: str
    unit: str
    awards: int
    targets: int
    target_value: Decimal
    achieved_value: Decimal

    @property
    def share(self) -> float:
        if not self.target_value:
            return 0.0
        return float(self.achieved_value / self.target_value)


SENT = ("submitted", "accepted")


def outcome_progress(filters: Filters) -> list[OutcomeLine]:
    """Per outcome and unit, kept until what they count changes (``count_outcomes``)."""
    return kept.figures(
        filters.council.pk,
        f"outcomes:{filters.year}:{filters.directorate_id}",
        lambda: count_outcomes(filters),
        counts=(kept.GENERAL, kept.MONITORING),
        dump=lambda lines: [
            {
                **asdict(line),
                "target_value": str(line.target_value),
                "achieved_value": str(line.achieved_value),
            }
            for line in lines
        ],
        load=lambda rows: [
            OutcomeLine(
                **{
                    **row,
                    "target_value": Decimal(row["target_value"]),
                    "achieved_value": Decimal(row["achieved_value"]),
                }
            )
            for row in rows
        ],
    )


def count_outcomes(filters: Filters) -> list[OutcomeLine]:
    """Per outcome and unit: the awards' targets summed, and what returns record achieved.

    A return records progress to date against the whole target, so each target's
    achievement is the value in its latest submitted or accepted return (the latest
    period, then the latest recorded); those are then added up per outcome and unit. Two
    queries whatever the number of awards: the targets, and the latest progress found by
    an anti-join (no later sent progress for the same target), which the database answers
    in one pass where a lookup per target took seconds at county scale.
    """
    awards = funded_awards(filters).values("pk")
    targets = (
        AwardTarget.objects.filter(award__in=awards)
        .order_by()
        .values("outcome__code", "outcome__title", "unit")
        .annotate(
            total=Sum("target_value"),
            awards=Count("award", distinct=True),
            targets=Count("pk"),
        )
    )
    sent = TargetProgress.objects.filter(monitoring_return__status__in=SENT)
    later = sent.filter(target=OuterRef("target")).filter(
        Q(monitoring_return__period_end__gt=OuterRef("monitoring_return__period_end"))
        | Q(
            monitoring_return__period_end=OuterRef("monitoring_return__period_end"),
            pk__gt=OuterRef("pk"),
        )
    )
    achieved = {
        (row["target__outcome__code"], row["target__outcome__title"], row["target__unit"]): row[
            "achieved"
        ]
        for row in sent.filter(target__award__in=awards)
        .filter(~Exists(later))
        .order_by()
        .values("target__outcome__code", "target__outcome__title", "target__unit")
        .annotate(achieved=Sum("achieved_value"))
    }
    lines = [
        OutcomeLine(
            code=row["outcome__code"] or "",
            title=row["outcome__title"] or "No outcome recorded",
            unit=row["unit"],
            awards=row["awards"],
            targets=row["targets"],
            target_value=row["total"] or Decimal(0),
            achieved_value=achieved.get((row["outcome__code"], row["outcome__title"], row["unit"]))
            or Decimal(0),
        )
        for row in targets
    ]
    return sorted(lines, key=lambda line: (line.code or "~", line.unit))

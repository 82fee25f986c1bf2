"""Targets against achievements, per outcome, across awards (§3.2, §5.1)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum

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
    achievement is the value in its latest submitted or accepted return; those are then
    added up per outcome and unit. One query whatever the number of awards.
    """
    latest = (
        TargetProgress.objects.filter(target=OuterRef("pk"), monitoring_return__status__in=SENT)
        .order_by("-monitoring_return__period_end", "-pk")
        .values("achieved_value")[:1]
    )
    targets = AwardTarget.objects.filter(award__in=funded_awards(filters).values("pk")).annotate(
        achieved=Subquery(latest, output_field=DecimalField())
    )
    rows = (
        targets.order_by()
        .values("outcome__code", "outcome__title", "unit")
        .annotate(
            total=Sum("target_value"),
            achieved_total=Sum("achieved"),
            awards=Count("award", distinct=True),
            targets=Count("pk"),
        )
    )
    lines = [
        OutcomeLine(
            code=row["outcome__code"] or "",
            title=row["outcome__title"] or "No outcome recorded",
            unit=row["unit"],
            awards=row["awards"],
            targets=row["targets"],
            target_value=row["total"] or Decimal(0),
            achieved_value=row["achieved_total"] or Decimal(0),
        )
        for row in rows
    ]
    return sorted(lines, key=lambda line: (line.code or "~", line.unit))

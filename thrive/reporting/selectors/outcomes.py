"""Targets against achievements, per outcome, across awards (§3.2, §5.1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from thrive.reporting.selectors.common import model_or_none
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


def outcome_progress(filters: Filters) -> list[OutcomeLine] | None:
    """Per outcome and unit: the awards' targets summed, and what returns record achieved.

    Achievements are the sum of ``TargetProgress.achieved_value`` on accepted or submitted
    returns. Two queries whatever the number of awards.
    """
    target_model = model_or_none("awards.AwardTarget")
    if target_model is None:
        return None
    awards = funded_awards(filters).values("pk")
    key = ("outcome__code", "outcome__title", "unit")
    targets = (
        target_model.objects.filter(award__in=awards)
        .order_by()
        .values(*key)
        .annotate(
            total=Sum("target_value"), awards=Count("award", distinct=True), targets=Count("pk")
        )
    )
    achieved: dict[tuple, Decimal] = {}
    progress_model = model_or_none("monitoring.TargetProgress")
    if progress_model is not None:
        rows = (
            progress_model.objects.filter(target__award__in=awards)
            .exclude(**{f"{_return_field(progress_model)}__submitted_at__isnull": True})
            .order_by()
            .values("target__outcome__code", "target__outcome__title", "target__unit")
            .annotate(total=Sum("achieved_value"))
        )
        for row in rows:
            trio = (
                row["target__outcome__code"],
                row["target__outcome__title"],
                row["target__unit"],
            )
            achieved[trio] = row["total"] or Decimal(0)
    lines = [
        OutcomeLine(
            code=row["outcome__code"] or "",
            title=row["outcome__title"] or "No outcome recorded",
            unit=row["unit"],
            awards=row["awards"],
            targets=row["targets"],
            target_value=row["total"] or Decimal(0),
            achieved_value=achieved.get(
                (row["outcome__code"], row["outcome__title"], row["unit"]), Decimal(0)
            ),
        )
        for row in targets
    ]
    return sorted(lines, key=lambda line: (line.code or "~", line.unit))


def _return_field(progress_model: type) -> str:
    """The name of TargetProgress's link to its return (``return`` is a Python keyword)."""
    for field in progress_model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if related is not None and related._meta.model_name == "monitoringreturn":
            return field.name
    return "monitoring_return"

"""An organisation's monitoring track record (§3.2), read by assessors as risk information."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from thrive.monitoring.models import MonitoringReturn, ReturnStatus, TargetProgress

if TYPE_CHECKING:
    from thrive.accounts.models import Council
    from thrive.organisations.models import Organisation


@dataclass
class TrackRecord:
    """An organisation's monitoring record (§3.2), used as risk information by assessors."""

    returns_total: int = 0
    on_time: int = 0
    targets_met: int = 0
    targets_total: int = 0
    ratings_by_year: dict[int, dict[str, int]] = field(default_factory=dict)
    latest_rating: str = ""
    overdue: int = 0

    @property
    def has_record(self) -> bool:
        return bool(self.returns_total or self.overdue)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.returns_total) if self.returns_total else None

    @property
    def targets_met_percent(self) -> int | None:
        return round(100 * self.targets_met / self.targets_total) if self.targets_total else None


def track_record(organisation: Organisation, *, council: Council | None = None) -> TrackRecord:
    """Returns made, on time, targets met and ratings by year for an organisation (§3.2)."""
    returns = MonitoringReturn.objects.filter(plan__organisation=organisation)
    if council is not None:
        returns = returns.filter(plan__council=council)
    made = returns.filter(first_submitted_at__isnull=False)
    rows = list(made.values("due_date", "first_submitted_at", "rating", "accepted_at"))
    record = TrackRecord(returns_total=len(rows))
    record.overdue = returns.overdue(timezone.localdate()).count()
    ratings: dict[int, Counter[str]] = defaultdict(Counter)
    latest: tuple[date, str] | None = None
    for row in rows:
        if timezone.localdate(row["first_submitted_at"]) <= row["due_date"]:
            record.on_time += 1
        if row["rating"]:
            ratings[row["due_date"].year][row["rating"]] += 1
            if latest is None or row["due_date"] >= latest[0]:
                latest = (row["due_date"], row["rating"])
    record.ratings_by_year = {year: dict(ratings[year]) for year in sorted(ratings)}
    record.latest_rating = latest[1] if latest else ""
    progress = TargetProgress.objects.filter(
        monitoring_return__in=made.filter(status=ReturnStatus.ACCEPTED)
    ).select_related("target")
    for item in progress:
        record.targets_total += 1
        record.targets_met += int(item.met)
    return record

"""Monitoring figures for the dashboard: lead funder coverage and compliance (§4.2, §4.3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from thrive.monitoring.models import LeadFunder as LeadFunderModel
from thrive.monitoring.models import MonitoringReturn
from thrive.reporting.selectors.common import year_bounds

if TYPE_CHECKING:
    from thrive.reporting.selectors.investment import Filters


@dataclass
class LeadFunder:
    """Organisations funded by more than one directorate, and how many have one plan."""

    multi_funded: int
    covered: int

    @property
    def share(self) -> float:
        return self.covered / self.multi_funded if self.multi_funded else 0.0


@dataclass
class Compliance:
    """Returns due in the period: first sent by the due date, sent late, still open."""

    due: int
    on_time: int
    late: int
    overdue: int
    red: int

    @property
    def share(self) -> float:
        return self.on_time / self.due if self.due else 0.0


def lead_funder_coverage(awards: QuerySet) -> LeadFunder:
    """Of organisations funded by several directorates, those with a lead funder (§4.3).

    An organisation counts as covered when the council has appointed an active lead
    funder for it, so it reports once, to one directorate.
    """
    multi = (
        awards.order_by()
        .values("organisation")
        .annotate(directorates=Count("directorate", distinct=True))
        .filter(directorates__gt=1)
        .values("organisation")
    )
    council_ids = awards.order_by().values("council").distinct()
    covered = (
        LeadFunderModel.objects.filter(active=True, council__in=council_ids, organisation__in=multi)
        .values("organisation")
        .distinct()
    )
    return LeadFunder(multi_funded=multi.count(), covered=covered.count())


def returns_for(filters: Filters) -> QuerySet[MonitoringReturn]:
    """Monitoring returns on the council's awards, due in the year, for the directorate."""
    returns = MonitoringReturn.objects.filter(plan__council=filters.council)
    if filters.directorate_id is not None:
        in_directorate = MonitoringReturn.objects.filter(
            plan__awards__directorate_id=filters.directorate_id
        )
        returns = returns.filter(pk__in=in_directorate.values("pk"))
    if filters.year is not None:
        first, last = year_bounds(filters.year)
        returns = returns.filter(due_date__gte=first, due_date__lte=last)
    return returns


# Sent by the end of the due day in London. Anything sent before the due day began in UTC
# is on time whatever the offset, a plain comparison; only the rest need the date in
# London, which SQLite works out by calling Python for each row.
ON_TIME = Q(first_submitted_at__lt=F("due_date")) | Q(first_submitted_at__date__lte=F("due_date"))

# Still open after the due date: due, or sent back with a query (as monitoring counts it).
OVERDUE = Q(status__in=["due", "queried"])


def compliance(filters: Filters) -> Compliance:
    """Returns due so far: sent by the due date, sent late, not sent and overdue; red ratings."""
    returns = returns_for(filters)
    today = timezone.localdate()
    due = Q(due_date__lte=today)
    sent = Q(first_submitted_at__isnull=False)
    figures = returns.aggregate(
        due=Count("pk", filter=due),
        sent=Count("pk", filter=due & sent),
        on_time=Count("pk", filter=due & sent & ON_TIME),
        overdue=Count("pk", filter=OVERDUE & Q(due_date__lt=today)),
        red=Count("pk", filter=Q(rating="red")),
    )
    counts = {key: int(value or 0) for key, value in figures.items()}
    counts["late"] = counts.pop("sent") - counts["on_time"]
    return Compliance(**counts)

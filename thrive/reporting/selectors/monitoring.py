"""Monitoring figures for the dashboard: lead funder coverage and compliance (§4.2, §4.3).

Read from the monitoring app's models when they exist; ``None`` until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from thrive.reporting.selectors.common import model_or_none, year_bounds

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
    """Returns due in the period: on time, late, still overdue."""

    due: int
    on_time: int
    late: int
    overdue: int
    red: int

    @property
    def share(self) -> float:
        return self.on_time / self.due if self.due else 0.0


def lead_funder_coverage(awards: QuerySet) -> LeadFunder | None:
    """Of organisations funded by several directorates, those with a consolidated plan (§4.3).

    Covered means one monitoring plan covers awards from more than one directorate for
    the organisation, so it reports once to a lead funder.
    """
    plan_model = model_or_none("monitoring.MonitoringPlan")
    if plan_model is None:
        return None
    multi = (
        awards.order_by()
        .values("organisation")
        .annotate(directorates=Count("directorate", distinct=True))
        .filter(directorates__gt=1)
        .values("organisation")
    )
    covered = (
        plan_model.objects.filter(awards__organisation__in=multi)
        .order_by()
        .values("pk", "awards__organisation")
        .annotate(directorates=Count("awards__directorate", distinct=True))
        .filter(directorates__gt=1)
        .values("awards__organisation")
        .distinct()
    )
    return LeadFunder(multi_funded=multi.count(), covered=covered.count())


def returns_for(filters: Filters) -> QuerySet | None:
    """Monitoring returns on the council's awards, due in the year, for the directorate."""
    return_model = model_or_none("monitoring.MonitoringReturn")
    if return_model is None:
        return None
    returns = return_model.objects.filter(plan__awards__council=filters.council)
    if filters.directorate_id is not None:
        returns = returns.filter(plan__awards__directorate_id=filters.directorate_id)
    if filters.year is not None:
        first, last = year_bounds(filters.year)
        returns = returns.filter(due_date__gte=first, due_date__lte=last)
    return return_model.objects.filter(pk__in=returns.values("pk"))


def compliance(filters: Filters) -> Compliance | None:
    """Returns due so far: sent by the due date, sent late, not sent and overdue; red ratings."""
    returns = returns_for(filters)
    if returns is None:
        return None
    today = timezone.localdate()
    due = Q(due_date__lte=today)
    sent = Q(submitted_at__isnull=False)
    figures = returns.aggregate(
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & sent & Q(submitted_at__date__lte=F("due_date"))),
        late=Count("pk", filter=due & sent & Q(submitted_at__date__gt=F("due_date"))),
        overdue=Count("pk", filter=Q(submitted_at__isnull=True, due_date__lt=today)),
        red=Count("pk", filter=Q(rating="red")),
    )
    return Compliance(**{key: int(value or 0) for key, value in figures.items()})

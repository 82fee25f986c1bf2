"""The staff overview of monitoring: returns by status and directorate, plans at risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from thrive.monitoring.models import MonitoringPlan, MonitoringReturn, PlanStatus, ReturnStatus
from thrive.monitoring.selectors.plans import plans_for_user, returns_for_user
from thrive.strategy.models import Directorate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from thrive.accounts.models import User


AT_RISK_OVERDUE_DAYS = 30


def directorates_for(user: User | AnonymousUser) -> list[Directorate]:
    """The directorates a staff user filters returns by: their council's, by name."""
    if not user.council_id:
        return list(Directorate.objects.order_by("name")[:100])
    return list(Directorate.objects.filter(council_id=user.council_id).order_by("name"))


def filtered_returns(
    user: User | AnonymousUser, *, status: str = "", directorate: str = "", rating: str = ""
) -> QuerySet[MonitoringReturn]:
    """The returns the user may read, by status (or overdue, upcoming), directorate and rating."""
    today = timezone.localdate()
    rows = returns_for_user(user)
    if status == "overdue":
        rows = rows.overdue(today)
    elif status == "upcoming":
        rows = rows.open().filter(due_date__gte=today)
    elif status in ReturnStatus.values:
        rows = rows.filter(status=status)
    if directorate.isdigit():
        rows = rows.filter(plan__lead_directorate_id=int(directorate))
    if rating:
        rows = rows.filter(rating=rating)
    return rows.order_by("due_date", "pk")


@dataclass
class DirectorateRow:
    name: str
    due: int
    overdue: int
    submitted: int
    red: int
    amber: int
    green: int


def overview_by_directorate(
    user: User | AnonymousUser, today: date | None = None
) -> list[DirectorateRow]:
    """Returns due, overdue and awaiting review, and ratings, per lead directorate."""
    today = today or timezone.localdate()
    open_statuses = [ReturnStatus.DUE, ReturnStatus.QUERIED]
    rows = (
        returns_for_user(user)
        .values("plan__lead_directorate__name")
        .annotate(
            due=Count("pk", filter=Q(status__in=open_statuses, due_date__gte=today)),
            overdue=Count("pk", filter=Q(status__in=open_statuses, due_date__lt=today)),
            submitted=Count("pk", filter=Q(status=ReturnStatus.SUBMITTED)),
            red=Count("pk", filter=Q(rating="red")),
            amber=Count("pk", filter=Q(rating="amber")),
            green=Count("pk", filter=Q(rating="green")),
        )
        .order_by("plan__lead_directorate__name")
    )
    return [
        DirectorateRow(
            r["plan__lead_directorate__name"],
            r["due"],
            r["overdue"],
            r["submitted"],
            r["red"],
            r["amber"],
            r["green"],
        )
        for r in rows
    ]


def plans_at_risk(
    user: User | AnonymousUser, today: date | None = None
) -> QuerySet[MonitoringPlan]:
    """Active plans with a red rating or a return overdue by more than 30 days."""
    today = today or timezone.localdate()
    late = today - timedelta(days=AT_RISK_OVERDUE_DAYS)
    risky = MonitoringReturn.objects.filter(
        Q(rating="red") | Q(status__in=[ReturnStatus.DUE, ReturnStatus.QUERIED], due_date__lt=late)
    ).values("plan_id")
    reds = (
        MonitoringReturn.objects.filter(plan_id=OuterRef("pk"), rating="red")
        .order_by()
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    value = (
        MonitoringPlan.awards.through.objects.filter(monitoringplan_id=OuterRef("pk"))
        .order_by()
        .values("monitoringplan_id")
        .annotate(total=Sum("award__amount_pence"))
        .values("total")[:1]
    )
    return (
        plans_for_user(user)
        .filter(status=PlanStatus.ACTIVE, pk__in=risky)
        .annotate(red_count=Coalesce(Subquery(reds), 0), value_pence=Subquery(value))
        .order_by("organisation__name", "pk")
    )

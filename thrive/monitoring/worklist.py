"""What monitoring asks of people: returns to review, returns to fill in (§4.2, §4.3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from thrive.accounts.models import Role
from thrive.core import worklist
from thrive.core.policy import has_council_role, is_provider_user
from thrive.core.worklist import WorkItem
from thrive.monitoring.models import MonitoringReturn, PlanStatus, ReturnStatus

REVIEW = "monitoring.review"
DUE = "monitoring.due"
QUERIED = "monitoring.queried"

DUE_SOON_DAYS = 30
"""A return joins the organisation's list this many days before it is due."""

worklist.add_kind(REVIEW, "Monitoring returns to review", 60)
worklist.add_kind(QUERIED, "Monitoring returns the council has queried", 65)
worklist.add_kind(DUE, "Monitoring returns due", 66)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _period(item: MonitoringReturn) -> str:
    return f"{date_format(item.period_start, 'j F Y')} to {date_format(item.period_end, 'j F Y')}"


@worklist.add
def returns_to_review(user: Any) -> Iterator[WorkItem]:
    """Submitted returns of the plans the commissioner's directorate leads."""
    if not has_council_role(user, Role.COMMISSIONER) or not user.directorate_ids():
        return
    returns = (
        MonitoringReturn.objects.filter(
            status=ReturnStatus.SUBMITTED,
            plan__council_id=user.council_id,
            plan__lead_directorate_id__in=user.directorate_ids(),
        )
        .select_related("plan__organisation")
        .order_by("submitted_at", "pk")
    )
    for item in returns:
        yield WorkItem(
            kind=REVIEW,
            title=f"{item.plan.organisation.name}: return for {_period(item)}",
            url=reverse("monitoring:return", args=[item.pk]),
            since=item.submitted_at or _start_of(item.period_end),
            detail=f"Due {date_format(item.due_date, 'j F Y')}",
        )


@worklist.add
def returns_to_fill_in(user: Any) -> Iterator[WorkItem]:
    """The user's organisations' returns that are queried, overdue or due within 30 days."""
    if not is_provider_user(user):
        return
    today = timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    returns = (
        MonitoringReturn.objects.filter(
            plan__organisation__memberships__user=user, plan__status=PlanStatus.ACTIVE
        )
        .filter(
            Q(status=ReturnStatus.QUERIED)
            | Q(status=ReturnStatus.DUE, due_date__lte=soon, period_end__lt=today)
        )
        .select_related("plan__organisation")
        .order_by("due_date", "pk")
    )
    for item in returns:
        yield _provider_item(item, today)


def _provider_item(item: MonitoringReturn, today: date) -> WorkItem:
    overdue = item.is_overdue(today)
    due = f"Due {date_format(item.due_date, 'j F Y')}"
    if item.status == ReturnStatus.QUERIED:
        return WorkItem(
            kind=QUERIED,
            title=f"{item.plan.organisation.name}: return for {_period(item)}",
            url=reverse("monitoring:return", args=[item.pk]),
            since=item.queried_at or _start_of(item.period_end),
            detail=f"{due}. The council asked: {item.query_reason}".strip(),
            overdue=overdue,
        )
    return WorkItem(
        kind=DUE,
        title=f"{item.plan.organisation.name}: return for {_period(item)}",
        url=reverse("monitoring:return", args=[item.pk]),
        since=_start_of(item.period_end + timedelta(days=1)),
        detail=f"Overdue: was due {date_format(item.due_date, 'j F Y')}" if overdue else due,
        overdue=overdue,
    )

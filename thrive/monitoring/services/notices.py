"""Reminders before monitoring returns fall due, and escalation when they are overdue."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.monitoring import tasks
from thrive.monitoring.models import MonitoringReturn, MonitoringSettings, NoticeKind, ReturnNotice

logger = logging.getLogger(__name__)


def _notice_candidates(today: date) -> Iterable[tuple[MonitoringReturn, str]]:
    councils = {s.council_id: s for s in MonitoringSettings.objects.all()}
    default = MonitoringSettings()
    horizon = max([default.reminder_days, *(s.reminder_days for s in councils.values())])
    rows = (
        MonitoringReturn.objects.open()
        .filter(due_date__lte=today + timedelta(days=horizon))
        .exclude(_noticed(NoticeKind.ESCALATION))
        .select_related("plan")
        .order_by("due_date", "pk")
    )
    reminded = set(
        ReturnNotice.objects.filter(kind=NoticeKind.REMINDER, due_date__gte=today).values_list(
            "monitoring_return_id", "due_date"
        )
    )
    for item in rows.iterator(chunk_size=500):
        chosen = councils.get(item.plan.council_id, default)
        if item.due_date < today and (today - item.due_date).days >= chosen.escalation_days:
            yield item, NoticeKind.ESCALATION
        elif (
            today <= item.due_date
            and (item.due_date - today).days <= chosen.reminder_days
            and (item.pk, item.due_date) not in reminded
        ):
            yield item, NoticeKind.REMINDER


def _noticed(kind: str) -> Exists:
    return Exists(
        ReturnNotice.objects.filter(
            monitoring_return=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date")
        )
    )


def send_due_notices(*, today: date | None = None) -> dict[str, int]:
    """Remind providers before returns fall due and escalate overdue ones, once each."""
    today = today or timezone.localdate()
    counts = {NoticeKind.REMINDER.value: 0, NoticeKind.ESCALATION.value: 0}
    for item, kind in _notice_candidates(today):
        try:
            with transaction.atomic():
                notice = ReturnNotice.objects.create(
                    monitoring_return=item, kind=kind, due_date=item.due_date
                )
                if kind == NoticeKind.ESCALATION:
                    log_action(
                        action="monitoring.return.escalated",
                        obj=item,
                        after={"due_date": item.due_date.isoformat()},
                        council=item.plan.council,
                    )
                transaction.on_commit(
                    lambda notice_id=notice.pk: tasks.send_return_notice.enqueue(notice_id)
                )
        except IntegrityError:
            continue
        counts[kind] += 1
    logger.info("Monitoring notices sent: %s", counts)
    return counts

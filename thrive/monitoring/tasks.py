"""Monitoring emails, sent by the task worker (the daily run is in ``daily.py``)."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from thrive.accounts.models import Role, User
from thrive.accounts.services.notifications import email_new_item
from thrive.core.email import send_templated_email
from thrive.monitoring.models import MonitoringReturn, NoticeKind, ReturnNotice, ReturnStatus
from thrive.monitoring.selectors import reviewers_for
from thrive.organisations.selectors import organisation_emails


def _path(item: MonitoringReturn) -> str:
    return reverse("monitoring:return", kwargs={"return_id": item.pk})


def lead_officer_emails(item: MonitoringReturn) -> list[str]:
    """Commissioners of the plan's lead directorate."""
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                role_assignments__role=Role.COMMISSIONER,
                role_assignments__directorate_id=item.plan.lead_directorate_id,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


@task()
def send_return_notice(notice_id: int) -> int:
    """Send one reminder (to the organisation) or escalation (to it and the lead officers)."""
    notice = (
        ReturnNotice.objects.select_related(
            "monitoring_return__plan__organisation",
            "monitoring_return__plan__council",
            "monitoring_return__plan__lead_directorate",
        )
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return 0
    item = notice.monitoring_return
    to = organisation_emails(item.plan.organisation)
    template = "return_reminder"
    if notice.kind == NoticeKind.ESCALATION:
        to = sorted(set(to) | set(lead_officer_emails(item)))
        template = "return_overdue"
    if not to:
        return 0
    return send_templated_email(
        to=to,
        template=template,
        context={"item": item, "path": _path(item)},
        council=item.plan.council,
    )


@task()
def send_return_decision(return_id: int) -> int:
    """Tell the organisation its return was accepted or queried."""
    item = (
        MonitoringReturn.objects.select_related("plan__organisation", "plan__council")
        .filter(pk=return_id)
        .first()
    )
    if item is None:
        return 0
    to = organisation_emails(item.plan.organisation)
    if not to:
        return 0
    return send_templated_email(
        to=to,
        template="return_decision",
        context={"item": item, "path": _path(item)},
        council=item.plan.council,
    )


@task()
def send_return_submitted(return_id: int) -> int:
    """Tell the officers who review a return that it has been submitted; return messages sent."""
    item = (
        MonitoringReturn.objects.select_related(
            "plan__organisation", "plan__council", "plan__lead_directorate", "submitted_by"
        )
        .filter(pk=return_id, status=ReturnStatus.SUBMITTED)
        .first()
    )
    if item is None:
        return 0
    return email_new_item(
        users=reviewers_for(item),
        template="return_submitted",
        context={"item": item, "path": _path(item)},
        council=item.plan.council,
    )

"""Emails about commissioning, sent by the task worker."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from thrive.accounts.models import Membership
from thrive.commissioning.models import DecommissioningNotice, SoftMarketTest
from thrive.core.email import send_templated_email


@task()
def send_decommissioning_notice(notice_id: int) -> None:
    """Email a decommissioning notice to the organisation's admins (members if none)."""
    notice = (
        DecommissioningNotice.objects.select_related("organisation", "award", "intention__council")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return
    members = Membership.objects.filter(organisation=notice.organisation, user__is_active=True)
    admins = [m.user.email for m in members.filter(is_admin=True).select_related("user")]
    recipients = admins or [m.user.email for m in members.select_related("user")]
    if notice.organisation.email and notice.organisation.email not in recipients:
        recipients.append(notice.organisation.email)
    if not recipients:
        return
    send_templated_email(
        to=recipients,
        template="decommissioning_notice",
        context={"notice": notice, "path": reverse("commissioning:notice", args=[notice.pk])},
        council=notice.intention.council,
    )
    DecommissioningNotice.objects.filter(pk=notice.pk).update(emailed_to=recipients)


@task()
def send_market_test_invitations(test_id: int) -> None:
    """Invite the organisations chosen for soft market testing, one email each."""
    test = SoftMarketTest.objects.select_related("intention__council").filter(pk=test_id).first()
    if test is None:
        return
    path = reverse("commissioning:market_test_respond", args=[test.pk])
    for organisation in test.invited.all():
        admins = Membership.objects.filter(
            organisation=organisation, is_admin=True, user__is_active=True
        ).select_related("user")
        recipients = [m.user.email for m in admins]
        if not recipients and organisation.email:
            recipients = [organisation.email]
        if recipients:
            send_templated_email(
                to=recipients,
                template="market_test_invitation",
                context={"test": test, "organisation": organisation, "path": path},
                council=test.intention.council,
            )

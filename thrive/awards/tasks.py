"""Emails about awards, sent by the task worker."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from thrive.awards.models import Award, AwardStatus
from thrive.core.email import send_templated_email


def admin_emails(award: Award) -> list[str]:
    """The addresses of the organisation's active admins, else its own address."""
    emails = sorted(
        {
            m.user.email
            for m in award.organisation.memberships.filter(is_admin=True).select_related("user")
            if m.user.is_active and m.user.email
        }
    )
    if not emails and award.organisation.email:
        emails = [award.organisation.email]
    return emails


@task()
def send_offer(award_id: int) -> int:
    """Tell the organisation's admins that an award is offered and where to accept it."""
    award = (
        Award.objects.select_related("organisation", "council")
        .filter(pk=award_id, status=AwardStatus.OFFERED)
        .first()
    )
    if award is None:
        return 0
    emails = admin_emails(award)
    if not emails:
        return 0
    return send_templated_email(
        to=emails,
        template="award_offered",
        context={
            "award": award,
            "path": reverse("awards:yours_detail", kwargs={"reference": award.reference}),
        },
        council=award.council,
    )

"""Emails about the register, sent by the task worker."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from thrive.core.email import send_templated_email
from thrive.organisations.models import JoinRequest, JoinRequestStatus


@task()
def send_join_request_email(join_request_id: int) -> None:
    """Tell the organisation's admins that someone asks to join, if it is still pending."""
    join = (
        JoinRequest.objects.select_related("organisation", "user")
        .filter(pk=join_request_id, status=JoinRequestStatus.PENDING)
        .first()
    )
    if join is None:
        return
    admins = list(
        join.organisation.memberships.filter(is_admin=True, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
    if not admins:
        return
    send_templated_email(
        to=admins,
        template="join_request",
        context={
            "join": join,
            "path": reverse("organisations:members", args=[join.organisation_id]),
        },
    )

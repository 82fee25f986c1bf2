"""Emails about the register, sent by the task worker."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from thrive.accounts.models import Membership, User
from thrive.core.email import send_templated_email
from thrive.organisations.models import JoinRequest, JoinRequestStatus, Organisation


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


@task()
def send_member_removed_email(user_id: int, organisation_id: int) -> None:
    """Tell a person they were taken out of an organisation, if they still are out of it."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if user is None or organisation is None:
        return
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        return
    send_templated_email(
        to=[user.email],
        template="member_removed",
        context={"user": user, "organisation": organisation},
    )


@task()
def send_member_role_email(membership_id: int) -> None:
    """Tell a member their role in the organisation changed, as it now stands."""
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, user__is_active=True)
        .first()
    )
    if membership is None:
        return
    send_templated_email(
        to=[membership.user.email],
        template="member_role",
        context={
            "membership": membership,
            "path": reverse("organisations:members", args=[membership.organisation_id]),
        },
    )

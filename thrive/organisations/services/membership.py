"""Asking to join an organisation on the register, and the admins' answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts import services as account_services
from thrive.accounts.models import Membership, User
from thrive.audit.services import log_action
from thrive.core.tasks import enqueue_on_commit
from thrive.organisations import tasks
from thrive.organisations.models import (
    JoinRequest,
    JoinRequestStatus,
    Organisation,
)


def request_to_join(*, organisation: Organisation, user: User, message: str = "") -> JoinRequest:
    """Ask to join an organisation already on the register; its admins decide."""
    if user.council_id is not None:
        raise ValidationError(
            "Council staff cannot join an organisation. Use a separate provider account."
        )
    if organisation.merged_into_id:
        organisation = organisation.merged_into
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError("You are already a member of this organisation")
    if JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequestStatus.PENDING
    ).exists():
        raise ValidationError("You have already asked to join. An admin will answer soon.")
    with transaction.atomic():
        join = JoinRequest(organisation=organisation, user=user, message=message.strip())
        join.full_clean()
        join.save()
        log_action(action="organisations.join.requested", actor=user, obj=organisation)
        enqueue_on_commit(tasks.send_join_request_email, join.pk)
    return join


def decide_join_request(*, join_request: JoinRequest, approve: bool, actor: User) -> JoinRequest:
    """An organisation admin approves (the person becomes a member) or declines."""
    if join_request.status != JoinRequestStatus.PENDING:
        raise ValidationError("This request has already been answered")
    with transaction.atomic():
        join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
        join_request.decided_at = timezone.now()
        join_request.decided_by = actor
        join_request.save(update_fields=["status", "decided_at", "decided_by"])
        if approve:
            account_services.add_member(
                user=join_request.user,
                organisation=join_request.organisation,
                is_admin=False,
                actor=actor,
            )
        log_action(
            action=f"organisations.join.{join_request.status}",
            actor=actor,
            obj=join_request.organisation,
            after={"user_id": join_request.user_id},
        )
    return join_request

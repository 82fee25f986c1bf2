"""Asking to join an organisation on the register, and the admins' answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts import services as account_services
from thrive.accounts.models import Invitation, Membership, User
from thrive.audit.services import log_action
from thrive.core.tasks import enqueue_with_transaction
from thrive.organisations import selectors, tasks
from thrive.organisations.models import (
    JoinRequest,
    JoinRequestStatus,
    Organisation,
)
from thrive.organisations.services.registration import NewProvider, create_provider_account


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
        enqueue_with_transaction(tasks.send_join_request_email, join.pk)
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


LAST_ADMIN = (
    "{name} is the organisation's only admin. Make someone else an admin first, "
    "so that someone can still manage the organisation."
)


def _refuse_losing_last_admin(membership: Membership) -> None:
    """Refuse a change that would leave the organisation with no active admin.

    The other admins' rows are locked so two admins cannot remove each other at once.
    """
    if not membership.is_admin:
        return
    others = selectors.other_active_admins(membership=membership).select_for_update()
    if not list(others):
        raise ValidationError(LAST_ADMIN.format(name=membership.user))


def remove_member(*, membership: Membership, actor: User) -> None:
    """Take a person out of the organisation; never its last admin."""
    with transaction.atomic():
        _refuse_losing_last_admin(membership)
        user, organisation = membership.user, membership.organisation
        membership.delete()
        log_action(
            action="organisations.member.removed",
            actor=actor,
            obj=organisation,
            before={"user_id": user.pk, "is_admin": membership.is_admin},
        )
        if user.pk != actor.pk:
            enqueue_with_transaction(tasks.send_member_removed_email, user.pk, organisation.pk)


def set_member_role(*, membership: Membership, is_admin: bool, actor: User) -> Membership:
    """Make a member an admin, or an admin a member; never demote the last admin."""
    if membership.is_admin == is_admin:
        return membership
    with transaction.atomic():
        if not is_admin:
            _refuse_losing_last_admin(membership)
        membership.is_admin = is_admin
        membership.save(update_fields=["is_admin"])
        log_action(
            action="organisations.member.role_changed",
            actor=actor,
            obj=membership.organisation,
            before={"user_id": membership.user_id, "is_admin": not is_admin},
            after={"user_id": membership.user_id, "is_admin": is_admin},
        )
        if membership.user_id != actor.pk:
            enqueue_with_transaction(tasks.send_member_role_email, membership.pk)
    return membership


def withdraw_invitation(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an invitation that has not been answered; its link stops working."""
    if invitation.status != "Pending":
        raise ValidationError(
            f"This invitation cannot be withdrawn: it is {invitation.status.lower()}."
        )
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        log_action(
            action="accounts.invitation.withdrawn",
            actor=actor,
            obj=invitation,
            after={"organisation_id": invitation.organisation_id},
        )
    return invitation


def join_with_account(
    *, organisation: Organisation, user: User | None, new: NewProvider | None, message: str = ""
) -> User:
    """Ask to join an organisation, with a new provider account when the person has none."""
    with transaction.atomic():
        if user is None:
            if new is None:
                raise ValidationError("Enter your details to create an account")
            user = create_provider_account(new=new)
        request_to_join(organisation=organisation, user=user, message=message)
    return user

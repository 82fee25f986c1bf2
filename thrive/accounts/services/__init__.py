"""Changes to accounts: councils, roles, memberships, invitations and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from thrive.accounts import tasks
from thrive.accounts.models import (
    ApiToken,
    Council,
    Invitation,
    Membership,
    Role,
    RoleAssignment,
    User,
)
from thrive.accounts.services import email_verification
from thrive.accounts.services.api_tokens import (  # noqa: F401 - callers use services.x
    authenticate_api_token,
    create_api_token,
    revoke_api_token,
)
from thrive.audit.services import log_action
from thrive.core.tasks import enqueue_with_transaction

INVITATION_LIFETIME = timedelta(days=14)


def get_or_create_council(*, name: str, org_id: str = "") -> Council:
    """Return the council with this name, creating it the first time."""
    council = Council.objects.filter(name=name).first()
    if council:
        return council
    council = Council(name=name, slug=slugify(name)[:60] or "council", org_id=org_id)
    council.full_clean()
    council.save()
    log_action(action="accounts.council.created", obj=council, after={"name": name})
    return council


def save_council(*, council: Council, actor: User | None) -> Council:
    """Save a council's name, slug and org-id (the admin's council form); record it."""
    created = council.pk is None
    with transaction.atomic():
        council.full_clean()
        council.save()
        log_action(
            action="accounts.council.created" if created else "accounts.council.changed",
            actor=actor,
            obj=council,
            after={"name": council.name, "slug": council.slug, "org_id": council.org_id},
        )
    return council


def grant_role(
    *, user: User, role: str, granted_by: User | None = None, directorate: object = None
) -> RoleAssignment:
    """Give a staff role to a user of a council (system administrator: installation-wide)."""
    if directorate is not None and directorate.council_id != user.council_id:  # type: ignore[attr-defined]
        raise ValidationError({"directorate": "Choose a directorate of this person's council"})
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role from the list"})
    if role != Role.SYSTEM_ADMIN and user.council_id is None:
        raise ValidationError(
            {"role": "Only council staff can hold this role. Provider users cannot."}
        )
    if role != Role.SYSTEM_ADMIN and user.memberships.exists():
        raise ValidationError({"role": "This person is a member of an organisation."})
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user,
            role=role,
            defaults={
                "council_id": user.council_id,
                "granted_by": granted_by,
                "directorate": directorate,
            },
        )
        if role == Role.SYSTEM_ADMIN and not (user.is_staff and user.is_superuser):
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            user.is_staff = user.is_superuser = True
        if created:
            log_action(
                action="accounts.role.granted",
                actor=granted_by,
                obj=user,
                after={
                    "role": role,
                    "council_id": user.council_id,
                    "directorate_id": getattr(directorate, "pk", None),
                },
                council=user.council,
            )
    user._role_codes = None
    user._directorate_ids = None
    return assignment


def revoke_role(*, user: User, role: str, revoked_by: User | None, reason: str = "") -> None:
    """Take a role away from a user."""
    with transaction.atomic():
        deleted, _ = RoleAssignment.objects.filter(user=user, role=role).delete()
        if role == Role.SYSTEM_ADMIN and deleted:
            User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
        if deleted:
            log_action(
                action="accounts.role.revoked",
                actor=revoked_by,
                obj=user,
                before={"role": role},
                reason=reason,
                council=user.council,
            )
    user._role_codes = None


def add_member(
    *, user: User, organisation: object, is_admin: bool, actor: User | None
) -> Membership:
    """Make a provider user a member of an organisation."""
    if user.council_id is not None:
        raise ValidationError(
            "Council staff cannot join an organisation. Use a separate provider account."
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"is_admin": is_admin}
    )
    if created:
        log_action(
            action="accounts.membership.added",
            actor=actor,
            obj=organisation,  # type: ignore[arg-type]
            after={"user_id": user.pk, "is_admin": is_admin},
        )
    return membership


def invite_colleague(
    *, organisation: object, email: str, as_admin: bool, invited_by: User
) -> Invitation:
    """Invite someone by email to join the organisation; the email goes through the worker."""
    email = User.objects.normalize_email(email).strip()
    already = Membership.objects.filter(organisation=organisation, user__email__iexact=email)
    if already.exists():
        raise ValidationError({"email": "This person is already a member of the organisation"})
    if User.objects.filter(email__iexact=email, council__isnull=False).exists():
        raise ValidationError(
            {
                "email": "This email address belongs to a council staff account. "
                "Invite a different email address."
            }
        )
    with transaction.atomic():
        Invitation.objects.pending().filter(organisation=organisation, email__iexact=email).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation(
            organisation=organisation,
            email=email,
            as_admin=as_admin,
            invited_by=invited_by,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        invitation.full_clean()
        invitation.save()
        log_action(
            action="accounts.invitation.sent",
            actor=invited_by,
            obj=invitation,
            after={"as_admin": as_admin, "organisation_id": organisation.pk},  # type: ignore[attr-defined]
        )
        enqueue_with_transaction(tasks.send_invitation_email, invitation.pk)
    return invitation


@dataclass(frozen=True)
class NewAccount:
    first_name: str
    last_name: str
    password: str


def accept_invitation(
    *, invitation: Invitation, user: User | None = None, new_account: NewAccount | None = None
) -> Membership:
    """Accept an invitation as the signed-in user, or by creating the invited person's account."""
    if invitation.status != "Pending":
        raise ValidationError(f"This invitation is no longer valid ({invitation.status.lower()}).")
    with transaction.atomic():
        if user is None:
            if new_account is None:
                raise ValidationError("Create an account to accept the invitation")
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    "An account with this email address already exists. Sign in to accept."
                )
            user = User(
                username=invitation.email,
                email=invitation.email,
                first_name=new_account.first_name,
                last_name=new_account.last_name,
            )
            user.set_password(new_account.password)
            user.full_clean()
            user.save()
            log_action(action="accounts.user.registered", actor=user, obj=user)
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(
                f"This invitation was sent to {invitation.email}. Sign in with that address."
            )
        elif not user.email_verified:
            # The emailed invitation proves the address as the verification link would.
            email_verification.mark_verified(user=user)
        membership = add_member(
            user=user,
            organisation=invitation.organisation,
            is_admin=invitation.as_admin,
            actor=user,
        )
        Invitation.objects.filter(pk=invitation.pk).update(
            accepted_at=timezone.now(), accepted_by=user
        )
        log_action(action="accounts.invitation.accepted", actor=user, obj=invitation)
    return membership


def request_password_reset(*, email: str) -> None:
    """Queue a reset email for each active account with this address; say nothing either way."""
    for user_id in User.objects.filter(email__iexact=email, is_active=True).values_list(
        "pk", flat=True
    ):
        enqueue_with_transaction(tasks.send_password_reset_email, user_id)


@dataclass(frozen=True)
class StaffDetails:
    first_name: str
    last_name: str
    email: str


def add_staff_member(
    *,
    council: Council,
    details: StaffDetails,
    roles: list[str],
    directorate: object,
    added_by: User,
) -> User:
    """Create a council staff account; they choose their password from a welcome email."""
    email = User.objects.normalize_email(details.email).strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email address already exists"})
    if Role.SYSTEM_ADMIN in roles:
        raise ValidationError(
            {"roles": "System administrators are appointed by a system administrator"}
        )
    with transaction.atomic():
        user = User(
            username=email,
            email=email,
            first_name=details.first_name,
            last_name=details.last_name,
            council=council,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        log_action(
            action="accounts.staff.added",
            actor=added_by,
            obj=user,
            after={"council_id": council.pk},
            council=council,
        )
        set_roles(user=user, roles=roles, directorate=directorate, changed_by=added_by)
        enqueue_with_transaction(tasks.send_welcome_email, user.pk)
    return user


def set_roles(
    *, user: User, roles: list[str], directorate: object, changed_by: User, reason: str = ""
) -> User:
    """Make the user's council roles exactly these, granting and revoking the difference."""
    wanted = set(roles)
    held = set(user.role_assignments.values_list("role", flat=True)) - {Role.SYSTEM_ADMIN}
    if Role.COMMISSIONER in wanted and directorate is None:
        raise ValidationError({"directorate": "Choose the directorate this commissioner works for"})
    with transaction.atomic():
        for role in sorted(held - wanted):
            revoke_role(user=user, role=role, revoked_by=changed_by, reason=reason)
        for role in sorted(wanted - held):
            grant_role(
                user=user,
                role=role,
                granted_by=changed_by,
                directorate=directorate if role == Role.COMMISSIONER else None,
            )
        commissioner = user.role_assignments.filter(role=Role.COMMISSIONER).first()
        if commissioner and commissioner.directorate != directorate:
            before = commissioner.directorate_id
            RoleAssignment.objects.filter(pk=commissioner.pk).update(directorate=directorate)
            log_action(
                action="accounts.role.directorate_changed",
                actor=changed_by,
                obj=user,
                before={"directorate_id": before},
                after={"directorate_id": getattr(directorate, "pk", None)},
                reason=reason,
                council=user.council,
            )
    user._role_codes = None
    user._directorate_ids = None
    return user


def set_active(*, user: User, active: bool, changed_by: User, reason: str) -> User:
    """Close or reopen an account; a closed account cannot sign in or use its tokens."""
    if user.pk == changed_by.pk and not active:
        raise ValidationError("You cannot close your own account")
    if user.is_active != active:
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        log_action(
            action="accounts.user.reopened" if active else "accounts.user.closed",
            actor=changed_by,
            obj=user,
            reason=reason,
            council=user.council,
        )
    return user


def anonymise_user(*, user: User, actor: User | None, reason: str) -> User:
    """Erase a person's name and contact details (UK GDPR), keeping every decision on record.

    The account stays as an inactive, nameless row so awards, scores and audit events that
    point at it still add up; the audit log itself never held the name.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the personal data is being erased"})
    if user.anonymised_at:
        return user
    placeholder = f"deleted-{user.pk}"
    with transaction.atomic():
        Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).update(
            email=f"{placeholder}@invalid.example", revoked_at=timezone.now()
        )
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        user.memberships.all().delete()
        user.username = placeholder
        user.email = f"{placeholder}@invalid.example"
        user.first_name = ""
        user.last_name = "Deleted user"
        user.is_active = False
        user.set_unusable_password()
        user.anonymised_at = timezone.now()
        user.save()
        log_action(
            action="accounts.user.anonymised",
            actor=actor,
            obj=user,
            reason=reason,
            council=user.council,
        )
    return user

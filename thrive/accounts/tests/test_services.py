"""Roles, memberships, invitations and API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from thrive.accounts import services
from thrive.accounts.models import ApiToken, Invitation, Membership, Role, RoleAssignment, User
from thrive.accounts.tests.factories import (
    CouncilFactory,
    InvitationFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)
from thrive.accounts.tokens import hash_api_secret
from thrive.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_granting_a_role_is_audited_with_the_council() -> None:
    admin = StaffFactory()
    user = StaffFactory(council=admin.council)
    services.grant_role(user=user, role=Role.COMMISSIONER, granted_by=admin)
    assert user.has_role(Role.COMMISSIONER)
    event = AuditEvent.objects.get(action="accounts.role.granted")
    assert event.actor == admin
    assert event.council == admin.council
    assert event.after["role"] == "commissioner"


def test_provider_users_cannot_hold_council_roles() -> None:
    provider = UserFactory()
    with pytest.raises(ValidationError, match="Only council staff can hold this role"):
        services.grant_role(user=provider, role=Role.ASSESSOR)
    assert not RoleAssignment.objects.exists()


def test_the_database_refuses_a_council_role_without_a_council() -> None:
    provider = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=provider, role=Role.FINANCE_OFFICER)


def test_system_admin_is_installation_wide_and_gets_the_admin_site() -> None:
    user = UserFactory()
    services.grant_role(user=user, role=Role.SYSTEM_ADMIN)
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff
    services.revoke_role(user=user, role=Role.SYSTEM_ADMIN, revoked_by=None, reason="Left")
    user.refresh_from_db()
    assert not user.is_superuser
    assert AuditEvent.objects.filter(action="accounts.role.revoked", reason="Left").exists()


def test_directorate_must_belong_to_the_users_council() -> None:
    from thrive.strategy.models import Directorate

    user = StaffFactory()
    elsewhere = Directorate.objects.create(council=CouncilFactory(), code="adults", name="Adults")
    with pytest.raises(ValidationError, match="directorate of this person's council"):
        services.grant_role(user=user, role=Role.COMMISSIONER, directorate=elsewhere)


def test_staff_cannot_join_an_organisation() -> None:
    staff = StaffFactory()
    org = MembershipFactory().organisation
    with pytest.raises(ValidationError, match="Council staff cannot join an organisation"):
        services.add_member(user=staff, organisation=org, is_admin=False, actor=None)


def test_inviting_a_colleague_sends_an_email_through_the_task(
    django_capture_on_commit_callbacks,
) -> None:
    admin = MembershipFactory(is_admin=True)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_colleague(
            organisation=admin.organisation,
            email="Sam@Example.org",
            as_admin=False,
            invited_by=admin.user,
        )
    assert invitation.email == "Sam@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Sam@example.org"]
    assert admin.organisation.name in message.subject
    assert "/accounts/invitations/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Accept the invitation" in html
    assert AuditEvent.objects.filter(action="accounts.invitation.sent").exists()


def test_a_second_invitation_replaces_the_first() -> None:
    admin = MembershipFactory(is_admin=True)
    args = {"organisation": admin.organisation, "as_admin": False, "invited_by": admin.user}
    first = services.invite_colleague(email="sam@example.org", **args)
    services.invite_colleague(email="sam@example.org", **args)
    first.refresh_from_db()
    assert first.status == "Withdrawn"
    assert Invitation.objects.pending().count() == 1


def test_existing_members_and_staff_emails_cannot_be_invited() -> None:
    admin = MembershipFactory(is_admin=True)
    staff = StaffFactory()
    args = {"organisation": admin.organisation, "as_admin": False, "invited_by": admin.user}
    with pytest.raises(ValidationError, match="already a member"):
        services.invite_colleague(email=admin.user.email.upper(), **args)
    with pytest.raises(ValidationError, match="council staff account"):
        services.invite_colleague(email=staff.email, **args)


def test_passwords_are_stored_with_argon2(settings) -> None:
    from thrive import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    invitation = InvitationFactory(as_admin=True)
    membership = services.accept_invitation(
        invitation=invitation,
        new_account=services.NewAccount("Sam", "Patel", "a-long-enough-password"),
    )
    assert membership.user.password.startswith("argon2")
    assert membership.user.check_password("a-long-enough-password")


def test_accepting_an_invitation_creates_the_account_and_membership() -> None:
    invitation = InvitationFactory(as_admin=True)
    membership = services.accept_invitation(
        invitation=invitation,
        new_account=services.NewAccount("Sam", "Patel", "a-long-enough-password"),
    )
    user = membership.user
    assert user.email == invitation.email
    assert user.council is None
    assert membership.is_admin
    invitation.refresh_from_db()
    assert invitation.status == "Accepted"
    with pytest.raises(ValidationError, match="no longer valid"):
        services.accept_invitation(invitation=invitation, user=user)


def test_an_expired_invitation_cannot_be_accepted() -> None:
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match=r"no longer valid \(expired\)"):
        services.accept_invitation(
            invitation=invitation,
            new_account=services.NewAccount("Sam", "Patel", "a-long-enough-password"),
        )
    assert not Membership.objects.exists()


def test_signed_in_user_must_be_the_invited_address() -> None:
    invitation = InvitationFactory(email="sam@example.org")
    other = UserFactory(email="someone@example.org")
    with pytest.raises(ValidationError, match=r"sent to sam@example\.org"):
        services.accept_invitation(invitation=invitation, user=other)


def test_api_tokens_are_stored_hashed_and_can_be_revoked() -> None:
    user = UserFactory()
    token, secret = services.create_api_token(user=user, name="Spreadsheet")
    assert secret.startswith("thr_")
    assert token.key_hash == hash_api_secret(secret)
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    assert services.authenticate_api_token(secret=secret) == user
    services.revoke_api_token(token=token)
    assert services.authenticate_api_token(secret=secret) is None
    assert services.authenticate_api_token(secret="thr_not-a-token") is None


def test_an_inactive_users_token_does_not_authenticate() -> None:
    user = UserFactory(is_active=False)
    _, secret = services.create_api_token(user=user, name="Old")
    assert services.authenticate_api_token(secret=secret) is None


def test_password_reset_email_goes_through_the_task(django_capture_on_commit_callbacks) -> None:
    user = UserFactory(email="pat@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_password_reset(email="PAT@example.org")
        services.request_password_reset(email="nobody@example.org")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/accounts/password-reset/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives


@pytest.mark.django_db(transaction=True)
def test_password_reset_is_queued_in_the_database_for_the_worker(settings) -> None:
    """With the database backend the email waits in the queue until `thrive db_worker` runs."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(email="pat@example.org")
    services.request_password_reset(email="pat@example.org")
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("send_password_reset_email")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 1


def test_usernames_and_emails_are_unique_ignoring_case() -> None:
    UserFactory(username="Sam", email="sam@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="sam", email="other@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="sam2", email="SAM@example.org")


def test_anonymising_erases_the_person_but_keeps_the_record(capsys) -> None:
    from django.core.management import call_command

    from thrive.audit.services import verify_chain

    membership = MembershipFactory(user__first_name="Ana", user__last_name="Silva")
    user = membership.user
    services.create_api_token(user=user, name="Mine")
    call_command("user", "export", user.username)
    exported = capsys.readouterr().out
    assert "Silva" in exported and membership.organisation.name in exported
    call_command("user", "anonymise", user.username, "--reason", "Asked to be forgotten")
    user.refresh_from_db()
    assert "Silva" not in f"{user.first_name} {user.last_name} {user.email} {user.username}"
    assert not user.is_active and not user.has_usable_password()
    assert not user.memberships.exists()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert not AuditEvent.objects.filter(object_repr__contains="Silva").exists()
    assert AuditEvent.objects.filter(action="accounts.user.anonymised").exists()
    assert verify_chain()[1] is None


def test_anonymising_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="Enter why the personal data is being erased"):
        services.anonymise_user(user=UserFactory(), actor=None, reason=" ")

"""Self-registered people confirm their email address before they act for an organisation."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from thrive.accounts import services as account_services
from thrive.accounts.models import Role, User
from thrive.accounts.tests.factories import (
    PASSWORD,
    CouncilFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    staff_with_role,
)
from thrive.accounts.tokens import email_verification_token
from thrive.audit.models import AuditEvent
from thrive.core import policy
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.models import JoinRequest, Organisation
from thrive.organisations.tests.factories import THIRD_SECTOR_ANSWERS, OrganisationFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name": "Castlemere Carers",
    "legal_form": "cio",
    "charity_number": "1090095",
    "postcode": "ws1 1aa",
    "first_name": "Priya",
    "last_name": "Shah",
    "email": "priya@example.org",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
    **THIRD_SECTOR_ANSWERS,
}
FIRST = "Confirm your email address first"
VERIFY = "/accounts/verify-email/"


def _register(client: Client, django_capture_on_commit_callbacks) -> User:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisations:register"), REGISTRATION)
    return User.objects.get(email="priya@example.org")


def _link(message) -> str:
    return re.search(r"http://[^/]+(/accounts/verify-email/\?token=\S+)", message.body).group(1)


@pytest.fixture
def unverified_admin():
    """A self-registered organisation admin who has not followed the link yet."""
    membership = MembershipFactory(is_admin=True, user__email_verified_at=None)
    return membership.user, membership.organisation


def test_registering_sends_a_link_and_the_account_waits_for_it(
    client, django_capture_on_commit_callbacks
) -> None:
    user = _register(client, django_capture_on_commit_callbacks)
    assert user.email_verified_at is None
    [message] = [m for m in mail.outbox if "Confirm your email address" in m.subject]
    assert message.to == ["priya@example.org"]
    org = Organisation.objects.get(name="Castlemere Carers")
    page = client.get(reverse("organisations:detail", args=[org.pk])).content.decode()
    assert "Confirm your email address" in page and "Send the link again" in page


def test_asking_to_join_with_a_new_account_needs_the_link_too(
    client, django_capture_on_commit_callbacks
) -> None:
    org = OrganisationFactory()
    data = {k: REGISTRATION[k] for k in ("first_name", "last_name", "email", "password")}
    data |= {"password_confirm": PASSWORD, "message": "I help on Tuesdays"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisations:join", args=[org.pk]), data)
    assert User.objects.get(email="priya@example.org").email_verified_at is None
    assert any("Confirm your email address" in m.subject for m in mail.outbox)


def test_an_unverified_person_is_refused_every_action_for_an_organisation(
    client, unverified_admin
) -> None:
    user, org = unverified_admin
    client.force_login(user)
    opportunity = OpportunityFactory()
    for url in [
        reverse("organisations:register"),
        reverse("organisations:join", args=[OrganisationFactory().pk]),
        reverse("organisations:edit", args=[org.pk]),
        reverse("organisations:invite", args=[org.pk]),
        reverse("applications:start", args=[opportunity.pk]),
        reverse("opportunities:ask", args=[opportunity.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert FIRST in response.content.decode(), url
    before = Organisation.objects.count()
    response = client.post(reverse("organisations:register"), REGISTRATION | {"name": "Other"})
    assert response.status_code == 403 and Organisation.objects.count() == before
    for action in policy.ACTS_FOR_ORGANISATION:
        assert policy.can(user, action, org) is False, action


def test_the_api_refuses_an_unverified_person_too(client, unverified_admin) -> None:
    user, _ = unverified_admin
    _, secret = account_services.create_api_token(user=user, name="Script")
    response = client.post(
        "/api/v1/organisations",
        {"name": "Via the API", "legal_form": "cio", "postcode": "WS1 1AA"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"
    assert "Confirm your email address first" in response.json()["message"]
    assert not Organisation.objects.filter(name="Via the API").exists()


def test_a_refusal_for_another_reason_is_not_blamed_on_the_email_address(
    client, unverified_admin
) -> None:
    user, _ = unverified_admin
    _, secret = account_services.create_api_token(user=user, name="Script")
    response = client.get("/api/v1/organisations/duplicates", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_the_emailed_link_verifies_and_then_the_person_can_act(
    client, django_capture_on_commit_callbacks
) -> None:
    user = _register(client, django_capture_on_commit_callbacks)
    [message] = [m for m in mail.outbox if "Confirm your email address" in m.subject]
    response = client.get(_link(message))
    assert response.status_code == 200
    assert "Your email address is confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert AuditEvent.objects.filter(action="accounts.email.verified").count() == 1
    assert client.get(reverse("organisations:register")).status_code == 200
    other = OrganisationFactory()
    response = client.post(
        reverse("organisations:join", args=[other.pk]), {"message": "Please let me in"}
    )
    assert response.status_code == 302
    assert JoinRequest.objects.filter(user=user, organisation=other).exists()


def test_an_expired_link_is_refused_and_a_new_one_can_be_sent(
    client, settings, monkeypatch, unverified_admin, django_capture_on_commit_callbacks
) -> None:
    user, _ = unverified_admin
    days_ago = time.time() - (settings.THRIVE_EMAIL_VERIFICATION_DAYS * 86400 + 60)
    monkeypatch.setattr(signing.time, "time", lambda: days_ago)
    old_token = email_verification_token(user)
    monkeypatch.undo()
    client.force_login(user)
    response = client.get(VERIFY, {"token": old_token})
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend_verification"), follow=True)
    assert f"We have sent a new link to {user.email}" in response.content.decode()
    client.get(_link(mail.outbox[-1]))
    user.refresh_from_db()
    assert user.email_verified_at is not None


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        lambda token: signing.dumps({"u": 1, "e": "x@example.org"}, salt="another.salt"),
    ],
)
def test_a_forged_link_is_refused(client, unverified_admin, forge) -> None:
    user, _ = unverified_admin
    response = client.get(VERIFY, {"token": forge(email_verification_token(user))})
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_link_sent_to_an_old_address_does_not_verify_a_new_one(client, unverified_admin) -> None:
    user, _ = unverified_admin
    token = email_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="new-address@example.org")
    assert client.get(VERIFY, {"token": token}).status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_staff_invited_people_and_existing_accounts_are_verified(
    client, django_capture_on_commit_callbacks
) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN, council=CouncilFactory())
    staff = account_services.add_staff_member(
        council=admin.council,
        details=account_services.StaffDetails("Ann", "Lee", "ann@westshire.example.gov.uk"),
        roles=[Role.ASSESSOR],
        directorate=None,
        added_by=admin,
    )
    assert staff.email_verified
    invitation = InvitationFactory(email="sam@example.org")
    membership = account_services.accept_invitation(
        invitation=invitation,
        new_account=account_services.NewAccount("Sam", "Cole", "a-long-enough-password"),
    )
    assert membership.user.email_verified
    assert UserFactory().email_verified


def test_a_verified_person_is_told_so_when_asking_again(client) -> None:
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:resend_verification"), follow=True)
    assert "Your email address is already confirmed" in response.content.decode()
    assert mail.outbox == []


def test_accepting_an_invitation_sent_to_the_address_verifies_it(unverified_admin) -> None:
    user, _ = unverified_admin
    invitation = InvitationFactory(email=user.email.upper())
    account_services.accept_invitation(invitation=invitation, user=user)
    user.refresh_from_db()
    assert user.email_verified
    assert policy.can(user, "applications.provider", invitation.organisation)


def test_a_page_refusing_only_for_the_email_address_says_so(rf, unverified_admin) -> None:
    from thrive.core.views import permission_denied

    user, _ = unverified_admin
    request = rf.get("/organisations/1/edit/")
    request.user = user
    response = permission_denied(request, policy.EmailUnverified("organisations.organisation.edit"))
    assert response.status_code == 403
    assert "Confirm your email address first" in response.content.decode()
    other = permission_denied(request, PermissionError("no"))
    assert "Confirm your email address first" not in other.content.decode()

"""Sign in and out, lockout, password reset, invitations and tokens, as a user sees them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from thrive.accounts.models import ApiToken, Membership, Role, User
from thrive.accounts.tests.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    staff_with_role,
)
from thrive.accounts.tokens import invitation_token

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_sign_in_with_email_or_username_lands_on_home(client) -> None:
    user = staff_with_role(Role.FINANCE_OFFICER)
    response = client.post(LOGIN, {"username": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    client.post("/accounts/logout/")
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.context["user"] == user
    assert b"Finance officer" in response.content


def test_wrong_password_shows_the_error_summary_and_error_title(client) -> None:
    user = UserFactory()
    response = client.post(LOGIN, {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter a correct email address or username and password" in content
    assert "<title>Error: Sign in" in content


def test_repeated_failures_lock_the_account_out(client, settings) -> None:
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": user.username, "password": "x"}).status_code == 200
    response = client.post(LOGIN, {"username": user.username, "password": "x"})
    assert response.status_code == 429
    assert b"You cannot sign in at the moment" in response.content
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post(client) -> None:
    client.force_login(UserFactory())
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_journey(client, django_capture_on_commit_callbacks) -> None:
    user = UserFactory(email="pat@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "pat@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    link = re.search(r"http://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert b"Choose a new password" in response.content
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "brand-new-secret-9", "new_password2": "different-one-9"}
    )
    assert b"The passwords do not match" in response.content
    response = client.post(
        form_url, {"new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-9")


def test_password_reset_asks_for_a_valid_email(client) -> None:
    response = client.post("/accounts/password-reset/", {"email": "not an email"})
    assert b"Enter an email address in the correct format" in response.content
    response = client.post("/accounts/password-reset/", {"email": ""})
    assert b"Enter your email address" in response.content


def test_a_used_reset_link_says_it_has_expired(client) -> None:
    response = client.get("/accounts/password-reset/MQ/bad-token/")
    assert b"This link has expired" in response.content


def test_anonymous_person_accepts_an_invitation_by_creating_an_account(client) -> None:
    invitation = InvitationFactory(email="new@example.org")
    url = reverse("accounts:invitation", kwargs={"token": invitation_token(invitation)})
    response = client.post(
        url, {"first_name": "", "last_name": "", "password": "short", "password_confirm": "other"}
    )
    content = response.content.decode()
    assert "Enter your first name" in content and "Enter your last name" in content
    assert "The passwords do not match" in content
    assert not User.objects.filter(email="new@example.org").exists()
    response = client.post(
        url,
        {
            "first_name": "Ana",
            "last_name": "Silva",
            "password": "a-long-enough-password",
            "password_confirm": "a-long-enough-password",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert Membership.objects.filter(user=user, organisation=invitation.organisation).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_forged_invitation_link_is_not_found(client) -> None:
    assert client.get("/accounts/invitations/forged-token/").status_code == 404


def test_signed_in_invitee_accepts_with_one_button(client) -> None:
    user = UserFactory(email="me@example.org")
    invitation = InvitationFactory(email="me@example.org")
    client.force_login(user)
    url = reverse("accounts:invitation", kwargs={"token": invitation_token(invitation)})
    assert b"Accept and join" in client.get(url).content
    client.post(url)
    assert Membership.objects.filter(user=user, organisation=invitation.organisation).exists()


def test_wrong_signed_in_person_sees_why_they_cannot_accept(client) -> None:
    client.force_login(UserFactory(email="other@example.org"))
    invitation = InvitationFactory(email="me@example.org")
    url = reverse("accounts:invitation", kwargs={"token": invitation_token(invitation)})
    response = client.post(url)
    assert b"This invitation was sent to me@example.org" in response.content
    assert not Membership.objects.exists()


def test_api_token_secret_is_shown_once_and_can_be_revoked(client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "Finance sheet"})
    secret = re.search(r'id="new-token">(thr_[^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert secret.startswith(token.prefix)
    assert secret not in client.get("/accounts/tokens/").content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_name_is_required(client) -> None:
    client.force_login(UserFactory())
    response = client.post("/accounts/tokens/", {"name": ""})
    assert b"Enter a name for the token" in response.content
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client) -> None:
    from thrive.accounts import services

    token, _ = services.create_api_token(user=UserFactory(), name="Theirs")
    client.force_login(UserFactory())
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_organisation_admin_invites_a_colleague_from_the_members_page(
    client, django_capture_on_commit_callbacks
) -> None:
    admin = MembershipFactory(is_admin=True)
    client.force_login(admin.user)
    url = reverse("organisations:invite", kwargs={"organisation_id": admin.organisation_id})
    response = client.post(url, {"email": "not-an-email"})
    assert b"Enter an email address in the correct format" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "colleague@example.org"}, follow=True)
    assert b"Invitation sent to colleague@example.org" in response.content
    assert b"colleague@example.org" in response.content
    assert mail.outbox[0].to == ["colleague@example.org"]


def test_members_cannot_invite_and_outsiders_cannot_see_members(client) -> None:
    member = MembershipFactory(is_admin=False)
    outsider = MembershipFactory(is_admin=True)
    org_id = member.organisation_id
    client.force_login(member.user)
    assert client.get(f"/organisations/{org_id}/members/").status_code == 200
    assert (
        client.post(
            f"/organisations/{org_id}/members/invite/", {"email": "x@example.org"}
        ).status_code
        == 403
    )
    client.force_login(outsider.user)
    assert client.get(f"/organisations/{org_id}/members/").status_code == 403

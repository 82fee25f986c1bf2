"""Browser journeys for accounts: reset a password, accept an invitation, tokens, staff."""

from __future__ import annotations

import re

from django.core import mail

from thrive.accounts.models import Role, User
from thrive.accounts.tests.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    staff_with_role,
)
from thrive.accounts.tokens import invitation_token
from thrive.strategy.models import Directorate
from thrive.testing.browser import assert_accessible, sign_in


def test_forgotten_password_journey(live_server, page) -> None:
    user = UserFactory(email="pat@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="I have forgotten my password").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send reset link").click()
    assert "Enter your email address" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_role("button", name="Send reset link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)
    path = re.search(r"http://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    page.goto(f"{live_server.url}{path}")
    assert page.get_by_role("heading", level=1).inner_text() == "Choose a new password"
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("a-brand-new-secret")
    page.get_by_label("Confirm new password").fill("a-brand-new-secret")
    page.get_by_role("button", name="Save new password").click()
    assert "Your password has been changed" in page.inner_text("h1")
    assert_accessible(page)
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret")


def test_invited_colleague_creates_an_account_and_joins(live_server, page) -> None:
    invitation = InvitationFactory(email="new@example.org")
    page.goto(f"{live_server.url}/accounts/invitations/{invitation_token(invitation)}/")
    assert_accessible(page)
    page.get_by_role("button", name="Create account and join").click()
    assert "Enter your first name" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Silva")
    page.get_by_label("Create a password").fill("a-long-enough-password")
    page.get_by_label("Confirm password").fill("a-long-enough-password")
    page.get_by_role("button", name="Create account and join").click()
    assert f"You are now a member of {invitation.organisation.name}" in page.inner_text("main")
    assert_accessible(page)
    assert User.objects.get(email="new@example.org").memberships.count() == 1


def test_organisation_admin_invites_a_colleague(live_server, page) -> None:
    membership = MembershipFactory(is_admin=True)
    sign_in(page, live_server, membership.user.username, PASSWORD)
    page.goto(f"{live_server.url}/organisations/{membership.organisation_id}/members/")
    assert_accessible(page)
    page.get_by_role("button", name="Invite a colleague").click()
    assert_accessible(page)
    page.get_by_label("Email address").fill("colleague@example.org")
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to colleague@example.org" in page.inner_text("main")
    assert_accessible(page)


def test_user_creates_and_revokes_an_api_token(live_server, page) -> None:
    user = UserFactory()
    sign_in(page, live_server, user.username, PASSWORD)
    page.get_by_role("link", name="Your account").click()
    assert_accessible(page)
    page.get_by_role("link", name="Manage your API tokens").click()
    page.get_by_label("Token name").fill("Finance spreadsheet")
    page.get_by_role("button", name="Create token").click()
    assert page.locator("#new-token").inner_text().startswith("thr_")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke Finance spreadsheet").click()
    assert "revoked" in page.inner_text("main")
    assert_accessible(page)


def test_council_admin_adds_a_staff_member_and_reads_the_audit_log(live_server, page) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN)
    Directorate.objects.create(council=admin.council, code="adults", name="Adult Social Care")
    sign_in(page, live_server, admin.username, PASSWORD)
    page.get_by_role("link", name="Staff", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Add a staff member").click()
    page.get_by_role("button", name="Create account").click()
    assert "Enter their first name" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Work email address").fill("priya@example.gov.uk")
    page.get_by_label("Commissioner").check()
    page.get_by_label("Directorate").select_option(label="Adult Social Care")
    page.get_by_role("button", name="Create account").click()
    assert "Account created for Priya Shah" in page.inner_text("main")
    page.get_by_role("link", name="Priya Shah").click()
    assert_accessible(page)
    page.get_by_role("link", name="Close the account of Priya Shah").click()
    assert_accessible(page)
    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="Audit log").click()
    assert "accounts.role.granted" in page.inner_text("main")
    assert_accessible(page)


def test_an_administrator_sets_up_two_factor_and_signs_in_with_a_code(live_server, page) -> None:
    from thrive.testing.two_factor import code_for, current_code, device_for_key_text

    admin = staff_with_role(Role.COUNCIL_ADMIN, two_factor=False)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address or username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor sign-in"
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert "Enter the 6-digit code" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    device = device_for_key_text(page.locator(".app-otp-key").text_content())
    page.get_by_label("Enter the 6-digit code your app shows").fill(code_for(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Two-factor sign-in is on"
    assert page.locator(".app-backup-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my backup codes").click()
    page.get_by_role("button", name="Sign out").first.click()

    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/staff/")
    page.get_by_label("Email address or username").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Enter your code"
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(admin))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/accounts/staff/")


def test_the_locked_out_page_and_the_confirm_email_page_are_accessible(live_server, page) -> None:
    from thrive.organisations.tests.factories import OrganisationFactory

    user = UserFactory(email_verified_at=None)
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address or username").fill(user.username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot sign in at the moment"
    assert_accessible(page)

    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    sign_in(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/organisations/{OrganisationFactory().pk}/join/")
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email address first"
    assert_accessible(page)
    page.get_by_role("button", name="Send me a new link").click()
    assert f"We have sent a new link to {user.email}" in page.content()
    assert_accessible(page)
    link = re.search(r"http://[^/]+(/accounts/verify-email/\?token=\S+)", mail.outbox[-1].body)
    page.goto(f"{live_server.url}{link.group(1)}")
    assert page.get_by_role("heading", level=1).inner_text() == "Your email address is confirmed"
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/verify-email/?token=forged")
    assert "This link is not valid" in page.content()
    assert_accessible(page)

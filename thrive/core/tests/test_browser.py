"""Browser journeys: every demo role signs in and lands on its home page, accessibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, staff_with_role
from thrive.testing.browser import assert_accessible, sign_in

ROLE_HEADINGS = {role.value: role.label for role in Role if role != Role.SYSTEM_ADMIN}


def test_public_pages_are_accessible(live_server, page) -> None:
    for path in ["/", "/accessibility/", "/privacy/", "/accounts/login/", "/no-such-page/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_signs_in_and_lands_on_its_home_page(live_server, page, role) -> None:
    user = staff_with_role(role)
    sign_in(page, live_server, user.username, PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).inner_text() == "Your home page"
    if role in ROLE_HEADINGS:
        assert page.locator(f"[data-role='{role}']").inner_text().startswith(ROLE_HEADINGS[role])
    assert "Signed in as" in page.locator(".app-header__account").inner_text()
    assert_accessible(page)


def test_provider_signs_in_and_sees_their_organisation(live_server, page) -> None:
    membership = MembershipFactory(is_admin=True)
    sign_in(page, live_server, membership.user.email, PASSWORD)
    expect(page.get_by_role("link", name=membership.organisation.name, exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=membership.organisation.name, exact=True).click()
    assert membership.organisation.name in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)


def test_wrong_password_shows_the_error_summary(live_server, page) -> None:
    user = staff_with_role(Role.COMMISSIONER)
    sign_in(page, live_server, user.username, "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Enter a correct email address or username and password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_empty_sign_in_names_each_missing_field(live_server, page) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    text = page.locator(".govuk-error-summary").inner_text()
    assert "Enter your email address or username" in text
    assert "Enter your password" in text
    page.get_by_role("link", name="Enter your password").click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    assert_accessible(page)


def test_forbidden_and_expired_link_pages_are_accessible(live_server, page) -> None:
    membership = MembershipFactory()
    sign_in(page, live_server, membership.user.username, PASSWORD)
    response = page.goto(f"{live_server.url}/audit/")
    assert response.status == 403
    assert "You do not have permission" in page.inner_text("h1")
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/password-reset/MQ/expired-token/")
    assert "This link has expired" in page.inner_text("h1")
    assert_accessible(page)


def test_lockout_page_is_accessible(live_server, page, settings) -> None:
    user = staff_with_role(Role.ASSESSOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, live_server, user.username, "wrong-password")
    assert "You cannot sign in at the moment" in page.inner_text("h1")
    assert_accessible(page)


def test_api_documentation_renders_from_local_assets(live_server, page) -> None:
    external = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Thrive API" in page.inner_text(".swagger-ui .info .title")
    assert external == []

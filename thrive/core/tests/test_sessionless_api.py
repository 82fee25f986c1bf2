"""An API call with no session cookie passes the session, authentication, two-factor and
messages middleware by, and keeps everything else: its user from the token, its headers, its
rate limits, and no session made for it. A call with the session cookie, and every page, go
the whole way as before."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client
from django.urls import reverse

from thrive.accounts import services as account_services
from thrive.accounts.tests.factories import MembershipFactory
from thrive.applications.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/applications"


def _bearer(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="t")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def sessions_opened():
    """How many requests the session middleware opened a session for."""
    with mock.patch.object(
        SessionMiddleware,
        "process_request",
        autospec=True,
        side_effect=SessionMiddleware.process_request,
    ) as spy:
        yield spy


def test_a_token_call_without_cookies_opens_no_session_and_reads_as_its_user(
    sessions_opened,
) -> None:
    member = MembershipFactory()
    mine = ApplicationFactory(organisation=member.organisation)
    ApplicationFactory()  # another organisation's
    response = Client().get(LIST, headers=_bearer(member.user))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [mine.pk]
    assert sessions_opened.call_count == 0
    assert "Set-Cookie" not in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"]
    assert response["X-Request-ID"]
    # Anyone without a token is still no one.
    assert Client().get(LIST).status_code == 401
    assert sessions_opened.call_count == 0


def test_cookies_that_are_not_the_session_still_pass_it_by(sessions_opened) -> None:
    member = MembershipFactory()
    headers = {**_bearer(member.user), "Cookie": "csrftoken=abc; _ga=GA1.2.3"}
    assert Client().get(LIST, headers=headers).status_code == 200
    assert sessions_opened.call_count == 0


def test_pages_and_session_calls_go_the_whole_way(sessions_opened) -> None:
    member = MembershipFactory()
    ApplicationFactory(organisation=member.organisation)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    assert client.get(reverse("core:home")).status_code in (200, 302)
    assert sessions_opened.call_count == 1
    response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.json()) == 1
    assert sessions_opened.call_count == 2
    # The session's changes still need their CSRF token.
    refused = client.post(LIST, {}, "application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"


def test_a_token_call_past_its_limit_is_still_refused(settings, sessions_opened) -> None:
    settings.THRIVE_RATE_LIMITS = {"api:submit": {"user": "1/h"}}
    member = MembershipFactory()
    application = ApplicationFactory(organisation=member.organisation)
    url = f"/api/v1/applications/{application.pk}/submit"
    payload = {"idempotency_key": "k" * 20, "declaration": False}
    headers = _bearer(member.user)
    assert Client().post(url, payload, "application/json", headers=headers).status_code == 400
    refused = Client().post(url, payload, "application/json", headers=headers)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    assert sessions_opened.call_count == 0


def test_a_session_cookie_with_a_token_goes_the_whole_way(sessions_opened) -> None:
    member = MembershipFactory()
    headers = {
        **_bearer(member.user),
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}=not-a-session",
    }
    assert Client().get(LIST, headers=headers).status_code == 200
    assert sessions_opened.call_count == 1

"""Staff are signed out after a while without activity; providers keep their session."""

from __future__ import annotations

import pytest
from django.test import Client

from thrive.accounts import middleware
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, UserFactory, staff_with_role

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/?tab=all"


class Clock:
    """The time the idle-timeout middleware sees, moved on by the test."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(middleware, "_now", fake)
    return fake


def test_staff_are_signed_out_after_30_minutes_without_activity_and_come_back_after(
    clock,
) -> None:
    user = staff_with_role(Role.COMMISSIONER)
    client = Client()
    client.force_login(user)
    assert client.get(PAGE).status_code == 200
    clock.wait(31)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/tokens/%3Ftab%3Dall"
    assert "_auth_user_id" not in client.session

    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": PASSWORD, "next": "/accounts/tokens/?tab=all"},
    )
    assert response["Location"] == "/accounts/tokens/?tab=all"


def test_activity_keeps_a_staff_session_alive(clock) -> None:
    client = Client()
    client.force_login(staff_with_role(Role.ASSESSOR))
    for _ in range(4):
        assert client.get(PAGE).status_code == 200
        clock.wait(20)
    assert client.get(PAGE).status_code == 200


def test_providers_keep_the_longer_session(clock) -> None:
    client = Client()
    client.force_login(UserFactory())
    client.get(PAGE)
    clock.wait(120)
    assert client.get(PAGE).status_code == 200


def test_the_timeout_is_a_setting(clock, settings) -> None:
    settings.THRIVE_STAFF_IDLE_MINUTES = 5
    client = Client()
    client.force_login(staff_with_role(Role.FINANCE_OFFICER))
    client.get(PAGE)
    clock.wait(6)
    response = client.get(PAGE, follow=True)
    assert "You were signed out after 5 minutes without activity" in response.content.decode()


def test_an_idle_api_session_is_signed_out_too(clock) -> None:
    client = Client()
    client.force_login(staff_with_role(Role.COMMISSIONER))
    assert client.get("/api/v1/me").status_code == 200
    clock.wait(31)
    assert client.get("/api/v1/me").status_code == 401

"""Lockout after wrong passwords: one count per account however it is named, and per address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.utils import dateformat, timezone

from thrive.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def volunteer():
    return UserFactory(username="volunteer", email="Volunteer@Example.org")


def _client(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _fail(client: Client, name: str, times: int) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": name, "password": "not-the-password"})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("volunteer", ATTACKER),
        ("VOLUNTEER", ATTACKER),
        ("volunteer@example.org", ATTACKER),
        ("VOLUNTEER@EXAMPLE.ORG", ATTACKER),
        ("volunteer", ELSEWHERE),
        ("Volunteer@example.org", ELSEWHERE),
    ],
)
def test_five_wrong_passwords_lock_the_account_whatever_name_or_address_is_used_next(
    volunteer, settings, name: str, address: str
) -> None:
    _fail(_client(ATTACKER), "volunteer", settings.AXES_FAILURE_LIMIT)
    client = _client(address)
    response = client.post(LOGIN, {"username": name, "password": PASSWORD})
    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert not _signed_in(client)


def test_wrong_passwords_under_different_spellings_add_up_to_one_lockout(
    volunteer, settings
) -> None:
    names = ["volunteer", "VOLUNTEER", "Volunteer@example.org", "volunteer@EXAMPLE.org"]
    for number in range(settings.AXES_FAILURE_LIMIT):
        client = _client(f"192.0.2.{number + 1}")
        client.post(LOGIN, {"username": names[number % len(names)], "password": "wrong"})
    client = _client("192.0.2.200")
    assert client.post(LOGIN, {"username": "volunteer", "password": PASSWORD}).status_code == 429
    assert not _signed_in(client)


def test_an_address_trying_many_accounts_is_locked_out_of_every_account(settings) -> None:
    victim = UserFactory()
    attacker = _client(ATTACKER)
    for number in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": f"guess{number}", "password": "wrong"})
    response = attacker.post(LOGIN, {"username": victim.username, "password": PASSWORD})
    assert response.status_code == 429
    assert not _signed_in(attacker)
    other = _client(ELSEWHERE)
    other.post(LOGIN, {"username": victim.username, "password": PASSWORD})
    assert _signed_in(other)


def test_the_locked_out_page_says_when_to_try_again_and_how_to_reset(volunteer, settings) -> None:
    _fail(_client(ATTACKER), "volunteer", settings.AXES_FAILURE_LIMIT)
    response = _client(ATTACKER).post(LOGIN, {"username": "volunteer", "password": PASSWORD})
    page = response.content.decode()
    last_failure = AccessAttempt.objects.latest("attempt_time").attempt_time
    ends = timezone.localtime(last_failure + timedelta(hours=settings.AXES_COOLOFF_TIME))
    assert f"You can try again after <strong>{dateformat.format(ends, 'g:i a')}" in page
    assert 'href="/accounts/password-reset/"' in page
    assert "govuk-heading-l" in page


def test_trying_again_while_locked_out_does_not_extend_the_lockout(volunteer, settings) -> None:
    client = _client(ATTACKER)
    _fail(client, "volunteer", settings.AXES_FAILURE_LIMIT)
    before = list(AccessAttempt.objects.values_list("attempt_time", flat=True))
    _fail(client, "volunteer", 3)
    assert list(AccessAttempt.objects.values_list("attempt_time", flat=True)) == before


def test_after_the_cool_off_the_right_password_signs_in(volunteer, settings) -> None:
    client = _client(ATTACKER)
    _fail(client, "volunteer", settings.AXES_FAILURE_LIMIT)
    assert client.post(LOGIN, {"username": "volunteer", "password": PASSWORD}).status_code == 429
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - cool_off - timedelta(seconds=1)
        )
    response = client.post(LOGIN, {"username": "VOLUNTEER", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


def test_resetting_the_password_by_the_emailed_link_ends_the_lockout(
    volunteer, settings, django_capture_on_commit_callbacks
) -> None:
    client = _client(ATTACKER)
    _fail(client, "volunteer", settings.AXES_FAILURE_LIMIT)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "volunteer@example.org"})
    link = re.search(r"http://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "a-brand-new-passphrase"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert not _signed_in(client), "a reset link never signs anyone in"
    client.post(LOGIN, {"username": "volunteer", "password": new_password})
    assert _signed_in(client)


def test_a_password_reset_request_neither_signs_in_nor_lifts_a_lockout(volunteer, settings) -> None:
    client = _client(ATTACKER)
    _fail(client, "volunteer", settings.AXES_FAILURE_LIMIT)
    client.post("/accounts/password-reset/", {"email": "volunteer@example.org"})
    assert not _signed_in(client)
    response = client.post(LOGIN, {"username": "volunteer", "password": PASSWORD})
    assert response.status_code == 429


def test_the_api_takes_no_password_so_it_cannot_be_used_to_guess_one(volunteer) -> None:
    import base64

    basic = base64.b64encode(f"volunteer:{PASSWORD}".encode()).decode()
    client = _client(ATTACKER)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 401
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {PASSWORD}")
    assert response.status_code == 401

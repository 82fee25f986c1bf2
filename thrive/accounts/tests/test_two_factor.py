"""Two-factor sign-in: set up, the code after the password, backup codes, turning off, resets.

Required for system and council administrators, offered to everyone else.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, CouncilFactory, UserFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.testing.two_factor import code_for, current_code, pending_device, with_two_factor

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/set-up/"
CODE = "/accounts/two-factor/code/"


def _sign_in_with_password(client: Client, user, next_path: str = "") -> None:
    data = {"username": user.username, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    client.post(LOGIN, data)


def _set_up_app(client: Client) -> tuple[TOTPDevice, str]:
    page = client.get(SETUP).content.decode()
    device = pending_device(client)
    response = client.post(SETUP, {"code": code_for(device)})
    return device, response.content.decode() + page


def test_a_staff_member_sets_up_an_authenticator_app_and_gets_backup_codes(client) -> None:
    user = staff_with_role(Role.COMMISSIONER)
    client.force_login(user)
    page = client.get(SETUP).content.decode()
    assert 'role="img" aria-label="QR code to scan with your authenticator app"' in page
    device = pending_device(client)
    key = re.search(r'<code class="app-otp-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(key.replace(" ", "")) == 32, "the key is shown as text for people who type it"

    response = client.post(SETUP, {"code": code_for(device)})
    page = response.content.decode()
    assert "Two-factor sign-in is on" in page
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=user, confirmed=True).key == device.key
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.set_up", object_id=str(user.pk)
    ).exists()


def test_a_wrong_code_when_setting_up_shows_the_error_summary_and_turns_nothing_on(
    client,
) -> None:
    user = staff_with_role(Role.COMMISSIONER)
    client.force_login(user)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error: " in page
    assert "The code is not right" in page
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_sign_in_asks_for_the_code_after_the_password_once_an_app_is_set_up() -> None:
    user = with_two_factor(staff_with_role(Role.COMMISSIONER))
    client = Client()
    _sign_in_with_password(client, user, next_path="/accounts/")
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == f"{CODE}?next=%2Faccounts%2F"
    assert client.get("/api/v1/me").status_code == 401, "the API treats the session as signed out"

    response = client.post(CODE, {"code": "123456", "next": "/accounts/"})
    assert "The code is not right" in response.content.decode()
    assert client.get("/accounts/").status_code == 302

    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    response = client.post(CODE, {"code": current_code(user), "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.get("/accounts/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_wrong_codes_are_throttled_so_guessing_does_not_work() -> None:
    user = with_two_factor(staff_with_role(Role.COMMISSIONER))
    client = Client()
    _sign_in_with_password(client, user)
    client.post(CODE, {"code": "000000"})
    response = client.post(CODE, {"code": current_code(user)})
    assert response.status_code == 200, "straight after a wrong code even the right one waits"
    assert client.get("/accounts/").status_code == 302


def test_a_backup_code_signs_in_once() -> None:
    user = staff_with_role(Role.PROCUREMENT_OFFICER)
    client = Client()
    client.force_login(user)
    _, page = _set_up_app(client)
    backup = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)[0]
    client.post("/accounts/logout/")

    _sign_in_with_password(client, user)
    response = client.post(CODE, {"code": backup.upper()})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.two_factor.backup_code_used").exists()
    client.post("/accounts/logout/")

    _sign_in_with_password(client, user)
    response = client.post(CODE, {"code": backup})
    assert response.status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9


@pytest.mark.parametrize("role", [Role.COUNCIL_ADMIN, Role.SYSTEM_ADMIN])
def test_administrators_without_an_app_are_sent_to_set_one_up_first(role) -> None:
    admin = staff_with_role(role, two_factor=False)
    client = Client()
    client.force_login(admin)
    for path in ["/", "/accounts/staff/", "/audit/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP), path
    assert client.get(SETUP).status_code == 200
    assert client.get("/api/v1/me").status_code == 401

    client.post(SETUP, {"code": code_for(pending_device(client))})
    assert client.get("/audit/").status_code == 200


def test_the_admin_site_needs_a_verified_session() -> None:
    admin = with_two_factor(staff_with_role(Role.SYSTEM_ADMIN))
    client = Client()
    _sign_in_with_password(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(CODE)
    client.post(CODE, {"code": current_code(admin)})
    assert client.get("/admin/").status_code == 200


def test_other_staff_and_providers_need_no_app_but_may_opt_in() -> None:
    provider = UserFactory()
    client = Client()
    client.force_login(provider)
    assert client.get("/accounts/").status_code == 200
    _set_up_app(client)
    client.post("/accounts/logout/")
    _sign_in_with_password(client, provider)
    assert client.get("/accounts/")["Location"].startswith(CODE)


def test_turning_two_factor_off_needs_the_password_and_is_audited(client) -> None:
    user = with_two_factor(staff_with_role(Role.ASSESSOR))
    client.force_login(user)
    response = client.post("/accounts/two-factor/turn-off/", {"password": "wrong-password"})
    assert "Enter your correct password or a current code" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()

    response = client.post("/accounts/two-factor/turn-off/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.removed", object_id=str(user.pk)
    ).exists()


def test_an_administrator_who_turns_it_off_must_set_it_up_again(client) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN)
    client.force_login(admin)
    client.post("/accounts/two-factor/turn-off/", {"password": PASSWORD})
    assert client.get("/accounts/staff/")["Location"].startswith(SETUP)


def test_a_council_administrator_resets_a_colleagues_two_factor_with_a_reason(client) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN)
    colleague = with_two_factor(staff_with_role(Role.FINANCE_OFFICER))
    client.force_login(admin)
    url = f"/accounts/staff/{colleague.pk}/two-factor/reset/"
    response = client.post(url, {"reason": ""})
    assert "Enter why you are resetting their two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=colleague).exists()

    response = client.post(url, {"reason": "Lost phone, confirmed in person"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    event = AuditEvent.objects.get(action="accounts.two_factor.reset")
    assert event.object_id == str(colleague.pk) and event.reason.startswith("Lost phone")


def test_administrators_of_another_council_and_other_staff_cannot_reset_it(client) -> None:
    colleague = with_two_factor(staff_with_role(Role.FINANCE_OFFICER))
    elsewhere = staff_with_role(
        Role.COUNCIL_ADMIN, council=CouncilFactory(name="Eastvale", slug="eastvale")
    )
    url = f"/accounts/staff/{colleague.pk}/two-factor/reset/"
    for user in [elsewhere, staff_with_role(Role.COMMISSIONER)]:
        client.force_login(user)
        assert client.post(url, {"reason": "Because"}).status_code == 403
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_api_tokens_are_their_own_credential(client) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN, two_factor=False)
    _, secret = account_services.create_api_token(user=admin, name="Script")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_the_admin_site_shows_no_two_factor_secrets(client) -> None:
    with_two_factor(UserFactory())
    client.force_login(staff_with_role(Role.SYSTEM_ADMIN))
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404

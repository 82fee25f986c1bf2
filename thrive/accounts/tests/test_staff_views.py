"""Council administrators add staff, set roles and close accounts; all audited."""

from __future__ import annotations

import pytest
from django.core import mail

from thrive.accounts.models import Role, User
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.strategy.models import Directorate

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_admin():
    return staff_with_role(Role.COUNCIL_ADMIN)


@pytest.fixture
def directorate(council_admin):
    return Directorate.objects.create(council=council_admin.council, code="adults", name="Adults")


def test_admin_adds_a_commissioner_who_is_emailed_a_link(
    client, council_admin, directorate, django_capture_on_commit_callbacks
) -> None:
    client.force_login(council_admin)
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya.shah@westshire.example.gov.uk",
        "roles": ["commissioner", "assessor"],
        "directorate": directorate.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/staff/add/", data, follow=True)
    assert b"Account created for Priya Shah" in response.content
    user = User.objects.get(email=data["email"])
    assert user.council == council_admin.council
    assert not user.has_usable_password()
    assert user.role_codes() == {"commissioner", "assessor"}
    assert user.directorate_ids() == {directorate.pk}
    assert mail.outbox[0].to == [data["email"]]
    assert "/accounts/password-reset/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="accounts.staff.added").exists()
    assert AuditEvent.objects.filter(action="accounts.role.granted").count() == 2


def test_adding_staff_shows_every_error_and_creates_nothing(client, council_admin) -> None:
    client.force_login(council_admin)
    response = client.post("/accounts/staff/add/", {"email": "nope", "roles": ["commissioner"]})
    content = response.content.decode()
    assert "Enter their first name" in content
    assert "Enter their last name" in content
    assert "Enter an email address in the correct format" in content
    assert User.objects.count() == 1


def test_a_commissioner_needs_a_directorate(client, council_admin) -> None:
    client.force_login(council_admin)
    data = {
        "first_name": "A",
        "last_name": "B",
        "email": "ab@example.gov.uk",
        "roles": ["commissioner"],
    }
    response = client.post("/accounts/staff/add/", data)
    assert b"Choose the directorate this commissioner works for" in response.content
    assert not User.objects.filter(email="ab@example.gov.uk").exists()


def test_roles_are_set_exactly_and_changes_audited(client, council_admin, directorate) -> None:
    member = staff_with_role(Role.ASSESSOR, council=council_admin.council)
    client.force_login(council_admin)
    client.post(f"/accounts/staff/{member.pk}/", {"roles": ["finance_officer"]})
    member.refresh_from_db()
    member._role_codes = None
    assert member.role_codes() == {"finance_officer"}
    assert AuditEvent.objects.filter(action="accounts.role.revoked").count() == 1


def test_closing_an_account_stops_sign_in(client, council_admin) -> None:
    member = staff_with_role(Role.ASSESSOR, council=council_admin.council)
    client.force_login(council_admin)
    response = client.post(f"/accounts/staff/{member.pk}/close/", {"reason": ""})
    assert b"Enter why you are closing this account" in response.content
    client.post(f"/accounts/staff/{member.pk}/close/", {"reason": "Left the council"})
    member.refresh_from_db()
    assert not member.is_active
    assert AuditEvent.objects.get(action="accounts.user.closed").reason == "Left the council"


def test_admins_cannot_close_their_own_account(client, council_admin) -> None:
    client.force_login(council_admin)
    response = client.post(f"/accounts/staff/{council_admin.pk}/close/", {"reason": "x"})
    assert b"You cannot close your own account" in response.content


def test_another_councils_staff_are_out_of_reach(client, council_admin) -> None:
    other = staff_with_role(Role.ASSESSOR, council=CouncilFactory(name="Eastvale"))
    client.force_login(council_admin)
    assert client.get(f"/accounts/staff/{other.pk}/").status_code == 403
    assert other.email not in client.get("/accounts/staff/").content.decode()


def test_staff_list_query_count_is_bounded(client, council_admin, django_assert_max_num_queries):
    for _ in range(30):
        staff_with_role(Role.ASSESSOR, council=council_admin.council)
    client.force_login(council_admin)
    with django_assert_max_num_queries(12):
        response = client.get("/accounts/staff/")
    assert response.status_code == 200

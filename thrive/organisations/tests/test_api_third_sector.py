"""The Third Sector test in the organisations API: read by members and staff, answered by the
organisation's admins, reviewed by officers of any council."""

from __future__ import annotations

import json

import pytest

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.organisations.tests.factories import THIRD_SECTOR_ANSWERS

BASE = "/api/v1/organisations"

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _send(client, method: str, url: str, body: dict, user):
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", **_auth(user)
    )


@pytest.fixture
def admin():
    return MembershipFactory(is_admin=True)


def test_an_admin_answers_the_test_and_members_and_staff_read_it(client, admin) -> None:
    url = f"{BASE}/{admin.organisation_id}/third-sector-test"
    response = _send(client, "put", url, THIRD_SECTOR_ANSWERS, admin.user)
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "meets"
    assert body["independent"] == {
        "answer": "yes",
        "evidence": THIRD_SECTOR_ANSWERS["independent_evidence"],
    }
    assert body["recorded_by"] == (admin.user.get_full_name() or str(admin.user))
    assert AuditEvent.objects.filter(action="organisations.third_sector_test.recorded").exists()
    member = MembershipFactory(organisation=admin.organisation).user
    officer = staff_with_role(Role.FINANCE_OFFICER)
    for reader in (member, officer):
        detail = client.get(f"{BASE}/{admin.organisation_id}", **_auth(reader)).json()
        assert detail["third_sector_test"]["value_driven"]["answer"] == "yes"
        assert detail["third_sector_test"]["review"]["status"] == ""


def test_missing_evidence_is_a_400_naming_the_field(client, admin) -> None:
    url = f"{BASE}/{admin.organisation_id}/third-sector-test"
    body = THIRD_SECTOR_ANSWERS | {"reinvests_surpluses_evidence": " "}
    response = _send(client, "put", url, body, admin.user)
    assert response.status_code == 400
    assert "reinvests_surpluses_evidence" in response.json()["errors"]
    bad = _send(client, "put", url, THIRD_SECTOR_ANSWERS | {"independent": "maybe"}, admin.user)
    assert bad.status_code == 422


def test_members_and_other_organisations_admins_cannot_answer(client, admin) -> None:
    url = f"{BASE}/{admin.organisation_id}/third-sector-test"
    member = MembershipFactory(organisation=admin.organisation).user
    stranger = MembershipFactory(is_admin=True).user
    for user in (member, stranger):
        assert _send(client, "put", url, THIRD_SECTOR_ANSWERS, user).status_code == 403
    admin.organisation.refresh_from_db()
    assert admin.organisation.third_sector_outcome == "not_assessed"
    assert client.get(f"{BASE}/{admin.organisation_id}", **_auth(stranger)).status_code == 403


def test_an_officer_of_another_council_reviews_through_the_api(client, admin) -> None:
    _send(
        client,
        "put",
        f"{BASE}/{admin.organisation_id}/third-sector-test",
        THIRD_SECTOR_ANSWERS,
        admin.user,
    )
    url = f"{BASE}/{admin.organisation_id}/third-sector-test/review"
    officer = staff_with_role(Role.STRATEGY_GROUP, council=CouncilFactory(name="Eastvale"))
    assert _send(client, "post", url, {"review": "queried"}, officer).status_code == 400
    response = _send(client, "post", url, {"review": "queried", "reason": "Which lock?"}, officer)
    assert response.status_code == 200
    assert response.json()["review"]["status"] == "queried"
    assert response.json()["review"]["reason"] == "Which lock?"
    assert _send(client, "post", url, {"review": "confirmed"}, admin.user).status_code == 403


def test_the_test_endpoints_are_in_the_openapi_document(client, db) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    answer = paths[BASE + "/{organisation_id}/third-sector-test"]["put"]["responses"]
    review = paths[BASE + "/{organisation_id}/third-sector-test/review"]["post"]["responses"]
    for responses in (answer, review):
        assert {"200", "400", "403", "422"} <= set(responses)


def test_registering_through_the_api_may_answer_the_test_at_once(client) -> None:
    from thrive.accounts.tests.factories import UserFactory
    from thrive.organisations.models import Organisation

    user = UserFactory()
    body = {"name": "Castlemere Carers", "legal_form": "cio", "postcode": "WS1 1AA"}
    bad = body | {"third_sector_test": THIRD_SECTOR_ANSWERS | {"independent_evidence": ""}}
    response = _send(client, "post", BASE, bad, user)
    assert response.status_code == 400
    assert "independent_evidence" in response.json()["errors"]
    assert not Organisation.objects.filter(name="Castlemere Carers").exists()
    response = _send(client, "post", BASE, body | {"third_sector_test": THIRD_SECTOR_ANSWERS}, user)
    assert response.status_code == 201
    assert response.json()["third_sector_test"]["outcome"] == "meets"
    assert response.json()["third_sector_test"]["recorded_by"] == (
        user.get_full_name() or str(user)
    )

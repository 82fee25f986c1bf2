"""The organisations API: search, profile with funding, create, update, duplicates, errors."""

from __future__ import annotations

import json

import pytest

from thrive.accounts import services as account_services
from thrive.accounts.models import Membership, Role
from thrive.accounts.tests.factories import MembershipFactory, UserFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.awards.tests.factories import AwardFactory
from thrive.organisations.models import Organisation
from thrive.organisations.tests.factories import (
    DuplicateCandidateFactory,
    IdentifierFactory,
    OrganisationFactory,
)

BASE = "/api/v1/organisations"


def _auth(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, url, body, headers, method="post"):
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", **headers
    )


def test_anonymous_callers_get_a_structured_401(client, db) -> None:
    response = client.get(BASE)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_staff_search_and_filter_with_pages(client, db) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    for n in range(30):
        OrganisationFactory(name=f"Ashbourne Group {n:02d}")
    IdentifierFactory(organisation__name="Brackenford Trust", value="1990095")
    body = client.get(BASE, {"q": "Ashbourne", "page": 2, "page_size": 20}, **_auth(staff)).json()
    assert (body["count"], body["page"], body["pages"]) == (30, 2, 2)
    assert len(body["results"]) == 10
    found = client.get(BASE, {"q": "GB-CHC-1990095"}, **_auth(staff)).json()
    assert [r["name"] for r in found["results"]] == ["Brackenford Trust"]
    assert found["results"][0]["identifiers"] == ["GB-CHC-1990095"]


def test_a_bad_filter_value_is_a_422_naming_the_field(client, db) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    response = client.get(BASE, {"legal_form": "pirate"}, **_auth(staff))
    assert response.status_code == 422
    assert "legal_form" in response.json()["errors"]


def test_provider_users_list_only_their_own(client, db) -> None:
    membership = MembershipFactory()
    OrganisationFactory(name="Someone Else")
    body = client.get(BASE, **_auth(membership.user)).json()
    assert [r["id"] for r in body["results"]] == [membership.organisation_id]


def test_the_profile_has_the_funding_summary_scoped_to_the_caller(client, db) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    org = OrganisationFactory()
    AwardFactory(organisation=org, council=staff.council, amount_pence=500_000)
    AwardFactory(organisation=org, amount_pence=100_000)
    body = client.get(f"{BASE}/{org.pk}", **_auth(staff)).json()
    assert body["funding"]["total_pence"] == 600_000
    assert body["funding"]["scope"] == "own_council"
    assert [a["amount_pence"] for a in body["funding"]["awards"]] == [500_000]
    assert len(body["funding"]["by_council"]) == 2
    assert body["funded_by_your_council"] is True


def test_another_organisations_user_is_refused_with_403(client, db) -> None:
    other = MembershipFactory().user
    org = OrganisationFactory()
    response = client.get(f"{BASE}/{org.pk}", **_auth(other))
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "You do not have permission to do this.",
        "errors": {},
    }


def test_a_missing_organisation_is_a_404(client, db) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    response = client.get(f"{BASE}/999999", **_auth(staff))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_merged_record_answers_301_to_the_survivor(client, db) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    survivor = OrganisationFactory()
    merged = OrganisationFactory(merged_into=survivor)
    response = client.get(f"{BASE}/{merged.pk}", **_auth(staff))
    assert response.status_code == 301
    assert response["Location"].endswith(f"{BASE}/{survivor.pk}")


def test_a_provider_user_registers_an_organisation_and_becomes_admin(client, db) -> None:
    user = UserFactory()
    response = _post(
        client,
        BASE,
        {"name": "Fernleigh Youth Club", "legal_form": "cio", "org_ids": ["GB-CHC-1990095"]},
        _auth(user),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["identifiers"] == ["GB-CHC-1990095"]
    assert body["source"] == "self_registered"
    assert Membership.objects.get(user=user, organisation_id=body["id"]).is_admin


def test_create_errors_name_each_field(client, db) -> None:
    IdentifierFactory(organisation__name="Holder", value="1990095")
    user = UserFactory()
    taken = _post(
        client, BASE, {"name": "X", "legal_form": "cio", "org_ids": ["GB-CHC-1990095"]}, _auth(user)
    )
    assert taken.status_code == 400
    assert taken.json()["errors"]["identifiers"][0].startswith(
        "GB-CHC-1990095 is already registered to Holder"
    )
    bad = _post(
        client, BASE, {"name": "X", "legal_form": "cio", "org_ids": ["GB-CHC-12"]}, _auth(user)
    )
    assert bad.status_code == 400
    assert "Charity Commission" in bad.json()["message"]
    missing = _post(client, BASE, {"legal_form": "cio"}, _auth(user))
    assert missing.status_code == 422
    assert "name" in missing.json()["errors"]
    assert Organisation.objects.count() == 1


def test_staff_without_an_editing_role_cannot_create(client, db) -> None:
    finance = staff_with_role(Role.FINANCE_OFFICER)
    response = _post(client, BASE, {"name": "X", "legal_form": "cio"}, _auth(finance))
    assert response.status_code == 403


def test_an_admin_updates_the_profile_and_the_legal_form_change_is_audited(client, db) -> None:
    admin = MembershipFactory(is_admin=True, organisation__legal_form="charity")
    url = f"{BASE}/{admin.organisation_id}"
    response = _post(
        client, url, {"legal_form": "cic", "postcode": "ws1 1aa"}, _auth(admin.user), "patch"
    )
    assert response.status_code == 200, response.content
    assert response.json()["legal_form"] == "cic"
    assert response.json()["postcode"] == "WS1 1AA"
    assert AuditEvent.objects.filter(action="organisations.legal_form.changed").exists()
    bad = _post(client, url, {"postcode": "nowhere"}, _auth(admin.user), "patch")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"postcode": ["Enter a real postcode, like SW1A 1AA"]}


def test_a_member_who_is_not_admin_cannot_update(client, db) -> None:
    member = MembershipFactory()
    response = _post(
        client, f"{BASE}/{member.organisation_id}", {"name": "New"}, _auth(member.user), "patch"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("role", "status"), [(Role.COUNCIL_ADMIN, 200), (Role.ASSESSOR, 403)])
def test_the_duplicate_queue_is_for_stewards(client, db, role, status) -> None:
    DuplicateCandidateFactory()
    response = client.get(f"{BASE}/duplicates", **_auth(staff_with_role(role)))
    assert response.status_code == status
    if status == 200:
        assert response.json()["results"][0]["first"]["name"] == "Oakfield Youth Club"


def test_every_endpoint_is_in_the_openapi_document_with_its_errors(client, db) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths[BASE]) == {"get", "post"}
    assert {"400", "401", "403", "422"} <= set(paths[BASE]["post"]["responses"])
    assert {"301", "401", "403", "404"} <= set(
        paths[BASE + "/{organisation_id}"]["get"]["responses"]
    )
    assert "patch" in paths[BASE + "/{organisation_id}"]
    assert "403" in paths[BASE + "/duplicates"]["get"]["responses"]

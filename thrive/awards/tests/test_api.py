"""The awards API: staff see their council's awards, provider users their own
organisation's, anonymous requests get 401."""

from __future__ import annotations

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.awards.models import AwardStatus
from thrive.awards.tests.factories import DirectorateFactory, make_award
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    commissioner = staff_with_role(Role.COMMISSIONER)
    member = MembershipFactory(is_admin=True)
    mine = make_award(
        commissioner, member.organisation, status=AwardStatus.OFFERED, title="Ours offered"
    )
    draft = make_award(commissioner, member.organisation, title="Ours draft")
    other = make_award(commissioner, OrganisationFactory(), status=AwardStatus.ACTIVE)
    eastvale = staff_with_role(Role.COMMISSIONER, council=CouncilFactory(name="Eastvale"))
    elsewhere = make_award(
        eastvale,
        member.organisation,
        directorate=DirectorateFactory(council=eastvale.council),
        status=AwardStatus.ACTIVE,
        title="Eastvale grant",
    )
    return commissioner, member.user, mine, draft, other, elsewhere


def test_anonymous_requests_get_401(client, setting):
    assert client.get("/api/v1/awards").status_code == 401
    assert client.get(f"/api/v1/awards/{setting[2].reference}").status_code == 401


def test_staff_see_their_own_councils_awards_with_filters(client, setting):
    commissioner, _, mine, draft, other, elsewhere = setting
    client.force_login(commissioner)
    body = client.get("/api/v1/awards").json()
    assert {r["reference"] for r in body["results"]} == {
        mine.reference,
        draft.reference,
        other.reference,
    }
    assert body["count"] == 3
    only = client.get("/api/v1/awards?status=draft&page_size=1").json()
    assert [r["reference"] for r in only["results"]] == [draft.reference]
    assert client.get(f"/api/v1/awards/{elsewhere.reference}").status_code == 404
    detail = client.get(f"/api/v1/awards/{mine.reference}").json()
    assert sum(i["amount_pence"] for i in detail["instalments"]) == mine.amount_pence
    assert detail["route"] == "Direct award"


def test_providers_see_only_their_organisations_offered_awards(client, setting):
    _, provider, mine, draft, other, elsewhere = setting
    client.force_login(provider)
    body = client.get("/api/v1/awards").json()
    assert {r["reference"] for r in body["results"]} == {mine.reference, elsewhere.reference}
    assert client.get(f"/api/v1/awards/{other.reference}").status_code == 404
    assert client.get(f"/api/v1/awards/{draft.reference}").status_code == 404
    assert client.get(f"/api/v1/awards/{mine.reference}").json()["status"] == "offered"


def test_an_admin_accepts_through_the_api(client, setting):
    _, provider, mine, *_ = setting
    client.force_login(provider)
    url = f"/api/v1/awards/{mine.reference}/accept"
    refused = client.post(url, {"name": " "}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"]["name"]
    accepted = client.post(url, {"name": "Grace Hopper"}, content_type="application/json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active"
    again = client.post(url, {"name": "Grace Hopper"}, content_type="application/json")
    assert again.status_code == 400


def test_a_member_who_is_not_an_admin_cannot_accept(client, setting):
    mine = setting[2]
    member = MembershipFactory(organisation=mine.organisation, is_admin=False).user
    client.force_login(member)
    response = client.post(
        f"/api/v1/awards/{mine.reference}/accept", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_assessors_cannot_list_awards(client, setting):
    client.force_login(staff_with_role(Role.ASSESSOR, council=setting[0].council))
    assert client.get("/api/v1/awards").status_code == 403


def test_openapi_documents_the_errors(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"200", "401", "403", "404"} <= set(paths["/api/v1/awards"]["get"]["responses"])
    assert {"200", "401", "404"} <= set(paths["/api/v1/awards/{reference}"]["get"]["responses"])
    accept = paths["/api/v1/awards/{reference}/accept"]["post"]["responses"]
    assert {"400", "401", "403", "404"} <= set(accept)

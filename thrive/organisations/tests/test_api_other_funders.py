"""The register API filters by other funders' imported grants, as the register page does."""

from __future__ import annotations

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.opendata.tests.factories import ExternalGrantFactory
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.organisations.tests.test_api import BASE, _auth

OAK = "GB-CHC-1900101"
ELM = "GB-COH-99000101"


@pytest.fixture
def funded(db):
    """Three organisations: one funded by Oak Trust, one by Elm Fund, one by neither, and a
    grant held for review from a third funder (no recipient on the register yet)."""
    oak = OrganisationFactory(name="Ashbourne Food Bank")
    elm = OrganisationFactory(name="Brackenford Youth Club")
    OrganisationFactory(name="Cressing Carers")
    ExternalGrantFactory(recipient=oak, funder_org_id=OAK, funder_name="Oak Trust")
    ExternalGrantFactory(recipient=elm, funder_org_id=ELM, funder_name="Elm Fund")
    ExternalGrantFactory(funder_org_id="GB-CHC-1900102", funder_name="Held Trust")
    return oak, elm


def _names(client, user, **params) -> list[str]:
    response = client.get(BASE, params, **_auth(user))
    assert response.status_code == 200, response.content
    return [r["name"] for r in response.json()["results"]]


def test_staff_filter_by_funded_by_other_funders_and_by_funder(client, funded) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    assert _names(client, staff, funded_by_others="true") == [
        "Ashbourne Food Bank",
        "Brackenford Youth Club",
    ]
    assert _names(client, staff, funded_by_others="false") == ["Cressing Carers"]
    assert _names(client, staff, funder=ELM) == ["Brackenford Youth Club"]
    assert _names(client, staff, funder=OAK, funded_by_others="true") == ["Ashbourne Food Bank"]
    results = client.get(BASE, **_auth(staff)).json()["results"]
    assert {r["name"]: r["funded_by_others"] for r in results} == {
        "Ashbourne Food Bank": True,
        "Brackenford Youth Club": True,
        "Cressing Carers": False,
    }


def test_another_councils_staff_get_the_same_answer(client, funded) -> None:
    """Imported grants are public data: unlike "funded by your council", not per council."""
    westshire = staff_with_role(Role.COMMISSIONER)
    eastvale = staff_with_role(Role.COMMISSIONER, council=CouncilFactory(name="Eastvale"))
    for params in ({"funded_by_others": "true"}, {"funder": OAK}, {"funded_by_others": "no"}):
        assert _names(client, eastvale, **params) == _names(client, westshire, **params)
    assert _names(client, eastvale, funder=OAK) == ["Ashbourne Food Bank"]


def test_an_unknown_funder_is_a_422_naming_the_field(client, funded) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    for funder in ("GB-CHC-1900199", "GB-CHC-1900102"):  # never imported; only held grants
        response = client.get(BASE, {"funder": funder}, **_auth(staff))
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid"
        assert funder in body["errors"]["funder"][0]
    response = client.get(BASE, {"funded_by_others": "perhaps"}, **_auth(staff))
    assert response.status_code == 422
    assert "funded_by_others" in response.json()["errors"]


def test_a_provider_user_filters_only_their_own_organisations(client, funded) -> None:
    oak, _ = funded
    member = MembershipFactory(organisation=oak).user
    assert _names(client, member, funded_by_others="true") == ["Ashbourne Food Bank"]
    assert _names(client, member, funded_by_others="false") == []
    assert _names(client, member, funder=OAK) == ["Ashbourne Food Bank"]
    # Elm Fund funds only someone else's organisation: not a funder this user may read of
    response = client.get(BASE, {"funder": ELM}, **_auth(member))
    assert response.status_code == 422
    assert "Brackenford" not in response.content.decode()


def test_the_openapi_document_describes_the_filters_and_the_422(client, db) -> None:
    operation = client.get("/api/openapi.json").json()["paths"][BASE]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert "360Giving" in parameters["funded_by_others"]["description"]
    assert "422" in parameters["funder"]["description"]
    assert "422" in operation["responses"]

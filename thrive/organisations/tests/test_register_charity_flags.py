"""The register finds and explains organisations the charity register check flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thrive.accounts.tests.factories import MembershipFactory
from thrive.opendata.tests.factories import ExternalGrantFactory
from thrive.organisations.models import CharityRegisterCheck, RegisterStatus
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.organisations.tests.test_api import BASE, _auth

REMOVED = "Removed from the charity register"
DIFFERS = "Name differs on the charity register"


def _check(organisation, number: str, **values) -> CharityRegisterCheck:
    values.setdefault("status", RegisterStatus.REGISTERED)
    values.setdefault("register_name", organisation.name)
    return CharityRegisterCheck.objects.create(
        organisation=organisation,
        charity_number=number,
        extract_date=dt.date(2026, 12, 1),
        **values,
    )


@pytest.fixture
def checked(db):
    """One organisation of each kind: removed, renamed, registered as itself, never checked."""
    removed = OrganisationFactory(name="Ashbourne Food Bank")
    _check(removed, "1900201", status=RegisterStatus.REMOVED, removed_on=dt.date(2025, 3, 3))
    renamed = OrganisationFactory(name="Brackenford Youth Club")
    _check(renamed, "1900202", register_name="Brackenford Boys Club", name_differs=True)
    _check(OrganisationFactory(name="Cressing Carers"), "1900203")
    OrganisationFactory(name="Dunholm Wildlife Group")
    return removed, renamed


def _listed(client, **params) -> str:
    page = client.get(reverse("organisations:list"), params)
    assert page.status_code == 200
    return page.text


@pytest.mark.parametrize(
    ("choice", "shown"),
    [
        ("yes", {"Ashbourne Food Bank", "Brackenford Youth Club"}),
        ("removed", {"Ashbourne Food Bank"}),
        ("name_differs", {"Brackenford Youth Club"}),
        ("not_found", set()),
        ("no", {"Cressing Carers", "Dunholm Wildlife Group"}),
    ],
)
def test_the_register_filters_by_the_charity_register_flags(
    client, commissioner, checked, choice, shown
) -> None:
    client.force_login(commissioner)
    html = _listed(client, charity_register=choice)
    names = {"Ashbourne Food Bank", "Brackenford Youth Club", "Cressing Carers"}
    names |= {"Dunholm Wildlife Group"}
    assert {name for name in names if name in html} == shown


def test_the_register_shows_why_an_organisation_is_flagged(client, commissioner, checked) -> None:
    client.force_login(commissioner)
    html = _listed(client)
    assert REMOVED in html
    assert DIFFERS in html and "registered as Brackenford Boys Club" in html
    assert html.count("on the charity register</strong>") == 1  # Cressing is not flagged


def test_an_unknown_choice_is_refused_on_the_page(client, commissioner, checked) -> None:
    client.force_login(commissioner)
    html = _listed(client, charity_register="pirate")
    assert "Select a valid choice" in html


def test_the_export_has_a_column_of_the_reasons(client, commissioner, checked) -> None:
    client.force_login(commissioner)
    response = client.get(reverse("organisations:export"), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",charity_register_flags")
    by_name = {line.split(",")[1]: line for line in lines[1:]}
    assert by_name["Ashbourne Food Bank"].endswith(f",{REMOVED}")
    assert by_name["Brackenford Youth Club"].endswith(
        f",{DIFFERS}: registered as Brackenford Boys Club"
    )
    assert by_name["Cressing Carers"].endswith(",no,")
    flagged = client.get(
        reverse("organisations:export"), {"format": "csv", "charity_register": "removed"}
    )
    assert len(flagged.content.decode("utf-8-sig").splitlines()) == 2


def test_the_register_list_with_flags_keeps_a_bounded_number_of_queries(
    client, commissioner, django_assert_max_num_queries
) -> None:
    for n in range(30):
        org = OrganisationFactory(name=f"Organisation {n:02d}")
        _check(org, f"19003{n:02d}", status=RegisterStatus.NOT_FOUND, name_differs=n % 2 == 0)
    client.force_login(commissioner)
    with django_assert_max_num_queries(15):  # as without flags: they come in the list's query
        html = _listed(client, charity_register="yes")
    assert "30 organisations" in html and "Not on the charity register" in html


def test_the_api_filters_and_gives_the_reasons(client, commissioner, checked) -> None:
    removed, _ = checked
    body = client.get(BASE, {"charity_register": "yes"}, **_auth(commissioner)).json()
    assert {r["name"]: r["charity_register_flags"] for r in body["results"]} == {
        "Ashbourne Food Bank": [{"reason": "removed", "message": REMOVED}],
        "Brackenford Youth Club": [
            {
                "reason": "name_differs",
                "message": f"{DIFFERS}: registered as Brackenford Boys Club",
            }
        ],
    }
    detail = client.get(f"{BASE}/{removed.pk}", **_auth(commissioner)).json()
    assert detail["charity_register_flags"] == [{"reason": "removed", "message": REMOVED}]
    bad = client.get(BASE, {"charity_register": "pirate"}, **_auth(commissioner))
    assert bad.status_code == 422 and "charity_register" in bad.json()["errors"]


def test_a_provider_user_sees_the_flags_of_their_own_organisation_only(client, checked) -> None:
    removed, _ = checked
    member = MembershipFactory(organisation=removed).user
    body = client.get(BASE, {"charity_register": "yes"}, **_auth(member)).json()
    assert [r["name"] for r in body["results"]] == ["Ashbourne Food Bank"]


def test_the_profile_in_the_api_says_whether_other_funders_fund_it(
    client, commissioner, checked
) -> None:
    removed, renamed = checked
    ExternalGrantFactory(recipient=removed, funder_org_id="GB-CHC-1900204")
    assert client.get(f"{BASE}/{removed.pk}", **_auth(commissioner)).json()["funded_by_others"]
    assert not client.get(f"{BASE}/{renamed.pk}", **_auth(commissioner)).json()["funded_by_others"]

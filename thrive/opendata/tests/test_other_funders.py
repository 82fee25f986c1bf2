"""Other funders' grants and other buyers' contracts on every page that needs them (§2.6, §3.2).

The funders, buyers and organisations here are made up; their identifiers use the
``XI-EXAMPLE`` scheme, which no register issues, so they cannot be a real charity or company.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.opendata import selectors
from thrive.opendata.models import (
    ExternalContract,
    ExternalGrant,
    ImportKind,
    ImportRun,
    RecipientStatus,
)
from thrive.organisations.tests.factories import OrganisationFactory

TRUST = ("XI-EXAMPLE-OAK-TRUST", "Oak Tree Trust")
FOUNDATION = ("XI-EXAMPLE-BIRCH-FOUNDATION", "Birch Foundation")
BUYER = ("XI-EXAMPLE-NHS-BUYER", "Northshire Health Board")
NUMBERS = itertools.count(1)
QUERIES_REGISTER = 15  # measured: the same for 2 and 20 organisations
QUERIES_API = 5  # measured: session, user, roles, count, page


def grant(organisation, funder=TRUST, amount="30000", when=date(2025, 6, 1), run=None):
    """Another funder's grant, as the 360Giving import keeps it."""
    n = next(NUMBERS)
    run = run or ImportRun.objects.create(source_name="oak-tree-trust.json", file_format="json")
    return ExternalGrant.objects.create(
        grant_id=f"360G-example-{n}",
        title="Community lunches",
        currency="GBP",
        amount_awarded=Decimal(amount),
        award_date=when,
        funder_org_id=funder[0],
        funder_name=funder[1],
        recipient_org_id=f"XI-EXAMPLE-ORG-{n}",
        recipient_name=organisation.name if organisation else "Someone held",
        recipient=organisation,
        recipient_status=RecipientStatus.MATCHED if organisation else RecipientStatus.HELD,
        import_run=run,
    )


def contract(organisation, value="12000", when=date(2024, 9, 1)):
    """Another buyer's contract award, as the OCDS import keeps it."""
    n = next(NUMBERS)
    run = ImportRun.objects.create(
        source_name="contracts-finder.json", kind=ImportKind.OCDS, file_format="json"
    )
    return ExternalContract.objects.create(
        key=f"ocds-example-{n}/award-1/supplier-1",
        ocid=f"ocds-example-{n}",
        award_id="award-1",
        title="Befriending service",
        status="active",
        buyer_org_id=BUYER[0],
        buyer_name=BUYER[1],
        supplier_name=organisation.name,
        recipient=organisation,
        currency="GBP",
        value=Decimal(value),
        award_date=when,
        import_run=run,
    )


@pytest.fixture
def council(db):
    return CouncilFactory(name="Westshire County Council", slug="westshire")


@pytest.fixture
def officer(council):
    return staff_with_role(Role.COMMISSIONER, council=council)


@pytest.fixture
def trust_funded(db):
    """An organisation no council funds, which a trust funds £30,000."""
    organisation = OrganisationFactory(name="Riverside Lunch Club")
    grant(organisation)
    return organisation


# --- the selector ---------------------------------------------------------------------------


def test_other_funding_totals_each_funder_by_year_with_its_source(trust_funded) -> None:
    grant(trust_funded, amount="5000", when=date(2025, 1, 10))
    grant(trust_funded, funder=FOUNDATION, amount="2500.50", when=date(2024, 3, 1))
    grant(None)  # held for review: no recipient, counted nowhere
    funding = selectors.other_funding_of(trust_funded)
    rows = [(r.name, r.year, r.count, r.total, r.amount) for r in funding.grants]
    assert rows == [
        ("Oak Tree Trust", 2025, 2, Decimal("35000"), "£35,000.00"),
        ("Birch Foundation", 2024, 1, Decimal("2500.50"), "£2,500.50"),
    ]
    assert [s.source_name for s in funding.grants[0].sources] == ["oak-tree-trust.json"] * 2
    assert [(f.name, f.count) for f in funding.funders] == [
        ("Oak Tree Trust", 2),
        ("Birch Foundation", 1),
    ]


def test_other_funding_of_many_organisations_takes_one_query(db, django_assert_num_queries) -> None:
    organisations = [OrganisationFactory() for _ in range(5)]
    for organisation in organisations:
        grant(organisation)
        contract(organisation)
    with django_assert_num_queries(1):  # grants and contracts together
        found = selectors.other_funding([o.pk for o in organisations])
    assert all(found[o.pk].grants and found[o.pk].contracts for o in organisations)


# --- the organisation page ------------------------------------------------------------------


def test_organisation_page_shows_a_trusts_grant_where_no_council_has_funded(
    client, officer, trust_funded
) -> None:
    contract(trust_funded)
    client.force_login(officer)
    html = client.get(reverse("organisations:detail", args=[trust_funded.pk])).content.decode()
    assert "No council on this service has made an award to this organisation." in html
    assert "Funding from others" in html
    assert "Oak Tree Trust" in html and "£30,000.00" in html
    assert "oak-tree-trust.json" in html
    assert "Northshire Health Board" in html and "£12,000.00" in html


def test_the_organisations_own_users_see_its_funding_from_others(client, trust_funded) -> None:
    member = MembershipFactory(organisation=trust_funded).user
    client.force_login(member)
    html = client.get(reverse("organisations:detail", args=[trust_funded.pk])).content.decode()
    assert "Oak Tree Trust" in html and "£30,000.00" in html


# --- the register (the staff directory) -------------------------------------------------------


def _names(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/organisations/\d+/">([^<]+)</a>', html)


def test_the_register_shows_other_funders_and_filters_by_them(
    client, officer, trust_funded
) -> None:
    birch_funded = OrganisationFactory(name="Birchwood Youth Club")
    grant(birch_funded, funder=FOUNDATION, amount="900")
    OrganisationFactory(name="Unfunded Allotment Society")
    held = grant(None, funder=("XI-EXAMPLE-HELD-FUNDER", "Funder Of Held Grants Only"))
    client.force_login(officer)
    url = reverse("organisations:list")

    html = client.get(url).content.decode()
    assert "Oak Tree Trust: £30,000.00" in html and "Birch Foundation: £900.00" in html
    funders = re.search(r'<select[^>]*name="funder"[^>]*>(.*?)</select>', html, re.S)[1]
    assert re.findall(r"<option[^>]*>(.*?)</option>", funders) == [
        "Any",
        "Birch Foundation",
        "Oak Tree Trust",
    ]
    assert held.funder_name not in funders

    yes = client.get(url, {"funded_by_others": "yes"}).content.decode()
    assert _names(yes) == ["Birchwood Youth Club", "Riverside Lunch Club"]
    no = client.get(url, {"funded_by_others": "no"}).content.decode()
    assert _names(no) == ["Unfunded Allotment Society"]
    by_trust = client.get(url, {"funder": TRUST[0]}).content.decode()
    assert _names(by_trust) == ["Riverside Lunch Club"]


def test_the_register_refuses_a_funder_not_in_the_imported_data(client, officer) -> None:
    client.force_login(officer)
    response = client.get(reverse("organisations:list"), {"funder": "XI-EXAMPLE-NOBODY"})
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()


def test_the_registers_export_says_who_is_funded_by_others(client, officer, trust_funded) -> None:
    OrganisationFactory(name="Unfunded Allotment Society")
    client.force_login(officer)
    response = client.get(reverse("organisations:export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("funded_by_others")
    assert {row[1]: row[column] for row in rows[1:]} == {
        "Riverside Lunch Club": "yes",
        "Unfunded Allotment Society": "no",
    }


@pytest.mark.parametrize("size", [2, 20])
def test_the_registers_queries_do_not_grow_with_other_funding(
    client, officer, django_assert_max_num_queries, size
) -> None:
    for i in range(size):
        organisation = OrganisationFactory(name=f"Funded organisation {i:02}")
        grant(organisation)
        grant(organisation, funder=FOUNDATION)
        contract(organisation)
    client.force_login(officer)
    with django_assert_max_num_queries(QUERIES_REGISTER):
        html = client.get(reverse("organisations:list")).content.decode()
    assert html.count("Oak Tree Trust: £30,000.00") == size


# --- the lead-funder view -------------------------------------------------------------------


def test_lead_funders_show_each_organisations_other_funders_beside_the_councils(client, db) -> None:
    from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
    from thrive.monitoring.tests.factories import award_with_plan

    award, _plan = award_with_plan(amount_pence=30_000_00)
    children = DirectorateFactory(council=award.council, code="children", name="Children")
    AwardFactory(
        organisation=award.organisation,
        council=award.council,
        directorate=children,
        amount_pence=5_000_00,
    )
    grant(award.organisation, amount="7500")
    contract(award.organisation)
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=award.council))
    page = client.get(reverse("monitoring:lead_funders")).content.decode()
    assert "Oak Tree Trust: £7,500.00" in page
    assert "Northshire Health Board (contracts): £12,000.00" in page
    export = client.get(reverse("monitoring:lead_funders_export"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0]["Other funders (imported grants)"] == "Oak Tree Trust: £7,500.00"


# --- the assessors' risk information -----------------------------------------------------------


def test_assessors_see_other_funders_grants_and_contracts_by_year(client, db) -> None:
    from thrive.assessment.services import panels
    from thrive.assessment.tests.factories import make_round

    rnd = make_round()
    member = rnd.members[0]
    panels.declare_conflict(member=member, has_conflict=False)
    application = rnd.applications[0]
    grant(application.organisation, amount="20000", when=date(2025, 5, 1))
    grant(application.organisation, amount="10000", when=date(2024, 5, 1))
    contract(application.organisation)
    client.force_login(member.user)
    html = client.get(reverse("assessment:score", args=[application.pk])).content.decode()
    assert "Risk information: other funders" in html
    assert "Oak Tree Trust: £30,000.00" in html
    assert re.search(r"2025</dt>\s*<dd[^>]*>£20,000.00 in 1 grant", html)
    assert re.search(r"2024</dt>\s*<dd[^>]*>£10,000.00 in 1 grant", html)
    assert "Northshire Health Board, 2024" in html


# --- the API --------------------------------------------------------------------------------

API = "/api/v1/external-grants"


def test_staff_list_every_imported_grant_with_filters(client, officer, trust_funded) -> None:
    other = OrganisationFactory(name="Birchwood Youth Club")
    birch = grant(other, funder=FOUNDATION, amount="900.50", when=date(2024, 2, 1))
    held = grant(None)
    client.force_login(officer)
    body = client.get(API).json()
    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (3, 1, 1, 25)
    assert {r["funder_name"] for r in body["results"]} == {"Oak Tree Trust", "Birch Foundation"}
    first = client.get(API, {"recipient": trust_funded.pk}).json()["results"]
    assert [(r["recipient_id"], r["amount_awarded"], r["currency"]) for r in first] == [
        (trust_funded.pk, "30000.00", "GBP")
    ]
    assert first[0]["import_run"]["source_name"] == "oak-tree-trust.json"
    by_funder = client.get(API, {"funder": FOUNDATION[0]}).json()["results"]
    assert [r["id"] for r in by_funder] == [birch.pk]
    dated = client.get(API, {"award_date_from": "2024-01-01", "award_date_to": "2024-12-31"})
    assert [r["id"] for r in dated.json()["results"]] == [birch.pk]
    by_run = client.get(API, {"import_run": birch.import_run_id}).json()["results"]
    assert [r["id"] for r in by_run] == [birch.pk]
    assert [r["id"] for r in client.get(API, {"status": "held"}).json()["results"]] == [held.pk]
    paged = client.get(API, {"page_size": 2, "page": 2}).json()
    assert (paged["count"], paged["pages"], len(paged["results"])) == (3, 2, 1)


def test_the_grant_detail_gives_the_grant_as_published(client, officer, trust_funded) -> None:
    found = trust_funded.external_grants.get()
    found.data = {"id": found.grant_id, "amountAwarded": 30000, "extraColumn": "kept"}
    found.save()
    found.locations.create(geo_code="E06000001", geo_code_type="UA", name="Hartlepool")
    found.classifications.create(vocabulary="XI-EXAMPLE-VOCAB", code="food", title="Food")
    client.force_login(officer)
    body = client.get(f"{API}/{found.pk}").json()
    assert body["data"] == {"id": found.grant_id, "amountAwarded": 30000, "extraColumn": "kept"}
    assert body["locations"][0]["geo_code"] == "E06000001"
    assert body["classifications"][0]["title"] == "Food"


def test_providers_read_only_their_own_organisations_grants(client, trust_funded) -> None:
    other = OrganisationFactory(name="Birchwood Youth Club")
    theirs = grant(other, funder=FOUNDATION)
    grant(None)
    member = MembershipFactory(organisation=trust_funded).user
    client.force_login(member)
    body = client.get(API).json()
    assert [r["recipient_id"] for r in body["results"]] == [trust_funded.pk]
    refused = client.get(API, {"recipient": other.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert client.get(f"{API}/{theirs.pk}").status_code == 404
    assert client.get(f"{API}/{trust_funded.external_grants.get().pk}").status_code == 200


def test_the_external_grants_api_answers_bad_requests_with_structured_errors(
    client, officer
) -> None:
    assert client.get(API).status_code == 401
    client.force_login(officer)
    backwards = client.get(API, {"award_date_from": "2025-02-01", "award_date_to": "2025-01-01"})
    assert backwards.status_code == 400 and "award_date_from" in backwards.json()["errors"]
    for bad in ({"award_date_from": "31/2/2025"}, {"status": "lost"}, {"recipient": "x"}):
        response = client.get(API, bad)
        assert response.status_code == 422, bad
        assert response.json()["code"] == "invalid"
    assert client.get(API, {"funder": "a\x00b"}).status_code == 422
    assert client.get(f"{API}/999999").status_code == 404


def test_the_external_grants_api_is_in_the_openapi_document_with_its_errors(client) -> None:
    document = client.get("/api/openapi.json").json()
    listing = document["paths"]["/api/v1/external-grants"]["get"]
    assert {"200", "400", "401", "403", "422"} <= set(listing["responses"])
    names = {p["name"] for p in listing["parameters"]}
    assert {"recipient", "funder", "award_date_from", "award_date_to", "import_run", "status"} <= (
        names
    )
    detail = document["paths"]["/api/v1/external-grants/{grant_pk}"]["get"]
    assert {"200", "401", "403", "404"} <= set(detail["responses"])


def test_listing_external_grants_takes_the_same_queries_for_many(
    client, officer, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        grant(OrganisationFactory())
    client.force_login(officer)
    with django_assert_max_num_queries(QUERIES_API):
        body = client.get(API, {"page_size": 100}).json()
    assert len(body["results"]) == 30


# --- the admin site -------------------------------------------------------------------------


def test_the_admin_site_lists_and_searches_imported_data_read_only(client, trust_funded) -> None:
    found = trust_funded.external_grants.get()
    found.locations.create(geo_code="E06000001", geo_code_type="UA", name="Hartlepool")
    found.classifications.create(vocabulary="XI-EXAMPLE-VOCAB", code="food", title="Food")
    bought = contract(trust_funded)
    client.force_login(staff_with_role(Role.SYSTEM_ADMIN))
    grants = client.get("/admin/opendata/externalgrant/", {"q": "Oak Tree"})
    assert grants.status_code == 200 and found.grant_id in grants.text
    assert found.grant_id not in client.get("/admin/opendata/externalgrant/", {"q": "Nobody"}).text
    detail = client.get(f"/admin/opendata/externalgrant/{found.pk}/change/")
    assert detail.status_code == 200
    assert "Hartlepool" in detail.text and "Food" in detail.text
    assert 'type="submit"' not in detail.text.split('id="externalgrant_form"')[-1]
    runs = client.get("/admin/opendata/importrun/", {"q": "oak-tree"})
    assert runs.status_code == 200 and "oak-tree-trust.json" in runs.text
    contracts = client.get("/admin/opendata/externalcontract/", {"q": "Northshire"})
    assert contracts.status_code == 200 and bought.ocid in contracts.text
    assert client.get("/admin/opendata/externalgrant/add/").status_code == 403
    assert client.post(f"/admin/opendata/externalgrant/{found.pk}/delete/").status_code == 403

"""Who funds whom: every funder of the organisations in an area, on this service and in
imported data, with totals, organisations and grants by financial year."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, CouncilFactory, staff_with_role
from thrive.awards.models import AwardStatus
from thrive.awards.tests.factories import AwardFactory
from thrive.core.models import Area
from thrive.opendata.tests.factories import ExternalContractFactory, ExternalGrantFactory
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.reporting import funders
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db

HERE = "E07000302"
THERE = "E07000303"
URL = "reporting:who_funds_whom"


@pytest.fixture
def world(council):
    here = Area.objects.create(council=council, name="Brackenford", gss_code=HERE)
    there = Area.objects.create(council=council, name="Castlemere", gss_code=THERE)
    Area.objects.create(council=council, name="County-wide", county_wide=True)
    club = OrganisationFactory(name="Brackenford Lunch Club")
    club.areas.add(here)
    choir = OrganisationFactory(name="Castlemere Choir")
    choir.areas.add(there)
    # This council's award, and another council's, to the club working in Brackenford.
    AwardFactory(organisation=club, council=council, years={2025: 100_000, 2026: 50_000})
    eastshire = CouncilFactory(name="Eastshire Council", slug="eastshire")
    AwardFactory(organisation=club, council=eastshire, years={2025: 20_000})
    AwardFactory(organisation=choir, council=council, years={2025: 7_000})
    AwardFactory(organisation=club, council=council, status=AwardStatus.DRAFT, years={2025: 1})
    # A trust's grants placed in each area, and one to a held recipient.
    ExternalGrantFactory(recipient=club, geo_codes=[HERE], amount_awarded=Decimal("1000.50"))
    ExternalGrantFactory(recipient=None, geo_codes=[HERE], award_date=date(2026, 5, 1))
    ExternalGrantFactory(recipient=choir, geo_codes=[THERE], amount_awarded=Decimal("300"))
    ExternalGrantFactory(recipient=choir, geo_codes=[HERE], currency="EUR")
    # A health board's contract naming Brackenford's code.
    ExternalContractFactory(recipient=club, data={"region": HERE}, value=Decimal("5000"))
    return {"here": here, "there": there, "club": club, "choir": choir}


def rows(result):
    return {(r.funder, r.year): (r.amount_pence, r.organisations, r.grants) for r in result.by_year}


def test_every_funder_of_the_area_with_totals_by_year(council, world) -> None:
    result = funders.who_funds_whom(funders.FunderFilters(council, area=world["here"]))
    assert rows(result) == {
        ("Westshire County Council", 2025): (100_000, 1, 1),
        ("Westshire County Council", 2026): (50_000, 1, 1),
        ("Eastshire Council", 2025): (20_000, 1, 1),
        ("Test Trust", 2025): (100_050, 1, 1),
        ("Test Trust", 2026): (250_000, 1, 1),
        ("Test Health Board", 2025): (500_000, 1, 1),
    }
    totals = {r.funder: (r.kind, r.amount_pence, r.organisations, r.grants) for r in result.totals}
    assert totals["Test Trust"] == (funders.GRANT_MAKER, 350_050, 2, 2)
    assert totals["Westshire County Council"] == (funders.COUNCIL, 150_000, 1, 1)
    assert totals["Test Health Board"][0] == funders.BUYER
    assert result.other_currency == 1


def test_the_whole_council_area_and_a_year(council, world) -> None:
    everywhere = funders.who_funds_whom(funders.FunderFilters(council))
    assert rows(everywhere)[("Westshire County Council", 2025)] == (107_000, 2, 2)
    assert rows(everywhere)[("Test Trust", 2025)] == (130_050, 2, 2)
    one_year = funders.who_funds_whom(funders.FunderFilters(council, year=2026))
    assert set(rows(one_year)) == {("Westshire County Council", 2026), ("Test Trust", 2026)}
    assert everywhere.years == [2026, 2025]


def test_the_page_filters_downloads_and_stays_in_bounded_queries(
    strategy, council, world, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(20):
        whole = strategy.get(reverse(URL))
    assert "organisations working in the council's area" in whole.content.decode()
    assert "4 funders" in whole.content.decode()
    with django_assert_max_num_queries(20):
        response = strategy.get(reverse(URL), {"area": world["here"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and "Funding by funder" in html
    assert "Test Health Board" in html and "Buyer (OCDS)" in html
    assert "Castlemere Choir" not in html
    csv = strategy.get(reverse(URL), {"area": world["here"].pk, "format": "csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(funders.HEADERS)
    assert "Test Trust,Grant-maker (360Giving),2025/26,1000.5,1,1" in lines
    xlsx = strategy.get(reverse(URL), {"format": "xlsx", "year": 2026})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert {sheet.cell(row, 1).value for row in range(2, sheet.max_row + 1)} == {
        "Westshire County Council",
        "Test Trust",
    }
    ods = strategy.get(reverse(URL), {"format": "ods"})
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"


def test_a_bad_filter_is_shown_as_an_error_not_a_failure(strategy, world) -> None:
    response = strategy.get(reverse(URL), {"area": "999999", "year": "soon"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select an area from the list" in html and "govuk-error-summary" in html


def test_another_councils_area_cannot_be_chosen(strategy, world) -> None:
    elsewhere = Area.objects.create(
        council=CouncilFactory(name="Eastshire", slug="e"), name="Far", gss_code="E07000399"
    )
    response = strategy.get(reverse(URL), {"area": elsewhere.pk})
    assert "Select an area from the list" in response.content.decode()


def test_only_report_readers_see_it(client, council) -> None:
    assert client.get(reverse(URL)).status_code == 302
    client.force_login(staff_with_role(Role.ASSESSOR, council=council))
    assert client.get(reverse(URL)).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_who_funds_whom_page_is_accessible(live_server, page) -> None:
    council = CouncilFactory(name="Westshire County Council", slug="westshire")
    here = Area.objects.create(council=council, name="Brackenford", gss_code=HERE)
    club = OrganisationFactory(name="Brackenford Lunch Club")
    club.areas.add(here)
    AwardFactory(organisation=club, council=council, years={2025: 100_000})
    ExternalGrantFactory(recipient=club, geo_codes=[HERE])
    user = staff_with_role(Role.STRATEGY_GROUP, council=council)
    sign_in(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('reporting:dashboard')}")
    page.get_by_role("link", name="Who funds whom").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Who funds whom"
    assert_accessible(page)
    page.get_by_label("Area").select_option(label="Brackenford")
    page.get_by_role("button", name="Show funders").click()
    assert f"area={here.pk}" in page.url
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of funders by year").click()
    assert download.value.suggested_filename.startswith("who-funds-whom")

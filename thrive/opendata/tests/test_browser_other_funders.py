"""Browser journey: an officer finds the organisations other funders fund, and their funding."""

from __future__ import annotations

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, staff_with_role
from thrive.opendata.tests.test_other_funders import contract, grant
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.testing.browser import assert_accessible, sign_in


def test_an_officer_finds_an_organisation_a_trust_funds_and_sees_its_funding(
    live_server, page
) -> None:
    officer = staff_with_role(Role.COMMISSIONER)
    funded = OrganisationFactory(name="Riverside Lunch Club")
    grant(funded)
    contract(funded)
    OrganisationFactory(name="Unfunded Allotment Society")
    sign_in(page, live_server, officer.username, PASSWORD)

    page.goto(f"{live_server.url}/organisations/")
    page.get_by_label("Funded by other funders").select_option("yes")
    page.get_by_label("By funder", exact=True).select_option(label="Oak Tree Trust")
    page.get_by_role("button", name="Apply filters").click()
    table = page.locator("main table").inner_text()
    assert "Riverside Lunch Club" in table and "Oak Tree Trust: £30,000.00" in table
    assert "Unfunded Allotment Society" not in table
    assert_accessible(page)

    page.get_by_role("link", name="Riverside Lunch Club").click()
    section = page.locator("main").inner_text()
    assert "No council on this service has made an award to this organisation." in section
    assert "Funding from others" in section
    assert "Grants from other funders, by funder and year" in section
    assert "Northshire Health Board" in section
    assert_accessible(page)

    page.get_by_role("link", name="oak-tree-trust.json").click()
    assert "oak-tree-trust.json" in page.get_by_role("heading", level=1).inner_text()

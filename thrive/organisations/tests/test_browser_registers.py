"""Browser journeys for registers as councils hold them: an officer's spreadsheet checked
before import, and the charity register's evidence beside the Third Sector test (axe)."""

from __future__ import annotations

import datetime as dt

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, staff_with_role
from thrive.organisations.models import CharityRegisterCheck, Organisation, RegisterStatus
from thrive.organisations.tests.factories import IdentifierFactory
from thrive.testing.browser import assert_accessible, sign_in

# Made-up numbers: the register has not reached 1,300,000, so none is a real charity.
REGISTERED, REMOVED = "1999911", "1999912"


def test_an_officers_spreadsheet_is_checked_with_its_flags_then_imported(
    live_server, page, tmp_path
) -> None:
    steward = staff_with_role(Role.STRATEGY_GROUP)
    path = tmp_path / "our organisations.csv"
    path.write_text(
        "Organisation Name,Type,Charity No.,Post Code,Income,Year End\n"
        "Hollins Food Bank, Charitable Incorporated Organisation ,,ws1 2ab,£45k,2023/24\n"
        'Moorland Makers,Co-op,,,"1,200.50",31/03/2024\n',
        encoding="utf-8",
    )
    sign_in(page, live_server, steward.username, PASSWORD)
    page.goto(f"{live_server.url}/organisations/import/")
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_label("Check the file only").check()
    page.get_by_role("button", name="Import").click()
    check = page.locator("#import-check").inner_text()
    assert "2 organisation(s) would be created" in check
    assert "1 would be flagged for a check" in check
    table = page.locator("main table").inner_text()
    assert "a CIO is always on the charity register, but no charity number is given" in table
    assert_accessible(page)
    assert Organisation.objects.count() == 0


def test_the_register_evidence_shows_with_the_third_sector_test(live_server, page) -> None:
    officer = staff_with_role(Role.COMMISSIONER)
    organisation = IdentifierFactory(
        organisation__name="Hollins Food Bank", value=REGISTERED
    ).organisation
    IdentifierFactory(organisation=organisation, value=REMOVED)
    extract = dt.date(2026, 12, 1)
    CharityRegisterCheck.objects.create(
        organisation=organisation,
        charity_number=REGISTERED,
        status=RegisterStatus.REGISTERED,
        register_name="HOLLINS FOOD BANK",
        registered_on=dt.date(2001, 5, 12),
        latest_income_pence=4_521_050,
        extract_date=extract,
    )
    CharityRegisterCheck.objects.create(
        organisation=organisation,
        charity_number=REMOVED,
        status=RegisterStatus.REMOVED,
        register_name="HOLLINS WELFARE FUND",
        removed_on=dt.date(2019, 6, 30),
        name_differs=True,
        extract_date=extract,
    )
    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/organisations/{organisation.pk}/")
    evidence = page.locator(".app-charity-register").inner_text()
    assert (
        f"Registered charity {REGISTERED} since 2001, latest income £45,210.50, checked against "
        "the register extract of 1 December 2026." in evidence
    )
    assert f"Charity {REMOVED} was removed from the register on 30 June 2019" in evidence
    assert "The register names it HOLLINS WELFARE FUND." in evidence
    assert_accessible(page)

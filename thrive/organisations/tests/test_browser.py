"""Browser journeys through the register, each page checked with axe-core."""

from __future__ import annotations

import re

from django.core import mail

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, staff_with_role
from thrive.core.reference import ensure_beneficiary_groups, ensure_county_areas
from thrive.organisations.models import CandidateStatus, Organisation
from thrive.organisations.tests.factories import DuplicateCandidateFactory, OrganisationFactory
from thrive.testing.browser import assert_accessible, sign_in

NEW_PASSWORD = "a-very-long-password-42"


def test_a_provider_registers_an_organisation_and_edits_it(live_server, page) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    ensure_county_areas(staff.council)
    ensure_beneficiary_groups()
    page.goto(f"{live_server.url}/organisations/register/")
    assert_accessible(page)
    page.get_by_role("button", name="Register organisation").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the organisation's name" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Organisation name", exact=True).fill("Kingsmere Lunch Club")
    page.get_by_label("Charitable incorporated organisation (CIO)").check()
    page.get_by_label("Charity number (optional)").fill("1990095")
    page.get_by_label("Postcode").fill("ws1 2ab")
    for question in ("independent", "value_driven", "reinvests_surpluses"):
        page.locator(f"#id_{question}_0").check()
    page.get_by_label("Evidence of independence").fill("Members elect our committee.")
    page.get_by_label("Evidence that the organisation is value-driven").fill("Our objects.")
    page.get_by_label("Evidence of reinvesting surpluses").fill("Our asset lock.")
    page.get_by_label("Your first name").fill("Priya")
    page.get_by_label("Your last name").fill("Shah")
    page.get_by_label("Your email address").fill("priya@example.org")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Register organisation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kingsmere Lunch Club"
    assert "GB-CHC-1990095" in page.locator("main").inner_text()
    assert "Confirm your email address" in page.locator("main").inner_text()
    assert "Meets the test" in page.locator("main").inner_text()
    assert_accessible(page)

    link = re.search(r"http://[^/]+(/accounts/verify-email/\?token=\S+)", mail.outbox[-1].body)
    page.goto(f"{live_server.url}{link.group(1)}")
    page.get_by_role("link", name="Go to your home page").click()
    page.get_by_role("link", name="Kingsmere Lunch Club").first.click()
    page.get_by_role("link", name="Edit the profile").click()
    assert_accessible(page)
    page.get_by_label("Town or city (optional)").fill("Kingsmere")
    page.get_by_label("Community interest company (CIC)").check()
    page.get_by_label("County-wide").check()
    page.get_by_label("Carers").check()
    page.get_by_label("List the organisation in the public provider directory").check()
    page.get_by_role("button", name="Save changes").click()
    assert "Profile updated" in page.locator(".govuk-notification-banner").inner_text()
    main = page.locator("main").inner_text()
    assert "Community interest company (CIC)" in main
    assert "County-wide" in main and "Carers" in main
    assert_accessible(page)
    org = Organisation.objects.get(name="Kingsmere Lunch Club")
    assert org.legal_form == "cic" and org.directory_opt_in

    page.goto(f"{live_server.url}/directory/")
    assert_accessible(page)
    page.get_by_role("link", name="Kingsmere Lunch Club").click()
    assert_accessible(page)


def test_staff_find_a_planted_duplicate_and_merge_it(live_server, page) -> None:
    steward = staff_with_role(Role.COUNCIL_ADMIN)
    candidate = DuplicateCandidateFactory()
    sign_in(page, live_server, steward.username, PASSWORD)
    page.get_by_role("link", name="Organisations").click()
    assert_accessible(page)
    page.get_by_role("link", name="Review possible duplicates").click()
    assert_accessible(page)
    page.get_by_role("link", name="Oakfield Youth Club and The Oakfield Youth Club CIO").click()
    assert_accessible(page)
    page.get_by_role("button", name="Merge records").click()
    assert "Select the record to keep" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label(f"Oakfield Youth Club (record {candidate.first_id})").check()
    page.get_by_label("Why are these the same organisation?").fill("Same charity, renamed")
    page.get_by_role("button", name="Merge records").click()
    assert (
        "merged into Oakfield Youth Club" in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "No possible duplicates are waiting for review" in page.locator("main").inner_text()
    assert_accessible(page)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED
    page.goto(f"{live_server.url}/organisations/{candidate.second_id}/")
    assert page.url.endswith(f"/organisations/{candidate.first_id}/")
    assert "The Oakfield Youth Club CIO" in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_malformed_import_shows_every_error_and_changes_nothing(
    live_server, page, tmp_path
) -> None:
    steward = staff_with_role(Role.STRATEGY_GROUP)
    OrganisationFactory(name="Already There")
    path = tmp_path / "organisations.csv"
    path.write_text(
        "name,postcode,email,charity_number\n,nowhere,bad@,12\nGood Name,WS1 1AA,,\n",
        encoding="utf-8",
    )
    sign_in(page, live_server, steward.username, PASSWORD)
    page.goto(f"{live_server.url}/organisations/import/")
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    errors = page.locator(".app-import-errors").inner_text()
    assert "row 2, column name: Enter the organisation's name" in errors
    assert "row 2, column charity_number:" in errors
    assert "row 2, column postcode: Enter a real postcode, like SW1A 1AA" in errors
    assert "row 2, column email: Enter an email address" in errors
    assert "Nothing was imported" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Already There"]

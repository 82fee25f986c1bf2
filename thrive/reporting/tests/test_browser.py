"""Browser journeys, each page checked with axe: the Corporate Third Sector Group reads the
dashboard, filters it and opens the annual report; an applicant rates the process."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, staff_with_role
from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.reporting import selectors
from thrive.reporting.tests.factories import DecidedApplicationFactory
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_strategy_group_reads_the_dashboard_and_the_annual_report(live_server, page) -> None:
    council = run_seed(SeedContext(scale=SCALES["demo"], random_seed=5, show_progress=False)).data[
        "council"
    ]
    year = selectors.financial_years(council)[1]
    user = staff_with_role(Role.STRATEGY_GROUP, council=council)
    sign_in(page, live_server, user.username, PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Investment in the Third Sector"
    expect(page.get_by_role("img", name="Investment by directorate")).to_be_visible()
    assert_accessible(page)

    label = f"{year}/{(year + 1) % 100:02d}"
    page.get_by_label("Financial year", exact=True).select_option(label=label)
    page.get_by_role("button", name="Show figures").click()
    assert f"year={year}" in page.url
    assert_accessible(page)

    page.get_by_role("link", name="Annual reports to Cabinet").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Annual report {year} to {year + 1}").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Annual report to Cabinet {label}"
    expect(page.get_by_role("heading", name="7. Concerns")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a PDF").click()
    assert download.value.suggested_filename.endswith(f"-{year}.pdf")

    page.get_by_role("link", name="Guidance for commissioners").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Monitor in proportion, through a lead funder").click()
    assert_accessible(page)


def test_applicant_rates_the_process_after_a_decision(live_server, page) -> None:
    application = DecidedApplicationFactory()
    member = MembershipFactory(organisation=application.organisation, is_admin=True)
    sign_in(page, live_server, member.user.email, PASSWORD)

    page.goto(f"{live_server.url}/applications/{application.pk}/receipt/")
    page.get_by_role("link", name="Tell us how clear, proportionate and fair").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="How clear was the process?").get_by_label("4 – good").check()
    page.get_by_role("group", name="How proportionate").get_by_label("2 – poor").check()
    page.get_by_role("group", name="How fair was it?").get_by_label("5 – very good").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you. Your feedback has been recorded.")).to_be_visible()
    assert_accessible(page)

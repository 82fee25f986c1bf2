"""Browser journey, each page checked with axe: a commissioner sets the terms of a draft
award and issues the offer, the letter shows, and the provider accepts it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, staff_with_role
from thrive.awards.models import Award, AwardStatus
from thrive.awards.tests.factories import DirectorateFactory, make_award, make_pots
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_commissioner_offers_and_the_provider_accepts(live_server, page) -> None:
    commissioner = staff_with_role(Role.COMMISSIONER, username="comm", email="comm@example.gov.uk")
    directorate = DirectorateFactory(council=commissioner.council)
    commissioner.role_assignments.update(directorate=directorate)
    pots = make_pots(commissioner.council, directorate, budget_pence=50_000_00)
    member = MembershipFactory(is_admin=True, organisation__name="Meadow Befrienders")
    award = make_award(
        commissioner,
        member.organisation,
        directorate=directorate,
        title="Befriending older people",
        amount_pence=30_000_00,
    )

    sign_in(page, live_server, "comm", PASSWORD)
    page.goto(f"{live_server.url}/awards/")
    assert_accessible(page)
    page.get_by_role("link", name="Befriending older people").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change the terms").click()
    assert_accessible(page)
    page.get_by_label("Funding pot").select_option(index=1)
    page.get_by_label("Conditions").fill("Report quarterly on befriending matches.")
    page.get_by_role("button", name="Save terms").click()
    assert_accessible(page)
    for pot in pots:  # £30,000 over three years: each year's part against that year's pot
        assert f"{pot.financial_year}: £10,000.00 from {pot}, committed" in page.content()

    page.get_by_role("link", name="Issue the offer").click()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the offer").click()
    assert_accessible(page)
    page.get_by_role("link", name="Read the funding agreement").click()
    expect(page.get_by_role("heading", name="Funding agreement", exact=True)).to_be_visible()
    assert "Report quarterly on befriending matches." in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, member.user.username, PASSWORD)
    page.get_by_role("link", name="Your awards").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Befriending older people").click()
    assert_accessible(page)
    page.get_by_role("button", name="Accept the award").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Edith Cavell")
    page.get_by_label("I have read the award letter").check()
    page.get_by_role("button", name="Accept the award").click()
    assert_accessible(page)
    assert "You have accepted the award" in page.content()
    award = Award.objects.get(pk=award.pk)
    assert award.status == AwardStatus.ACTIVE and award.accepted_name == "Edith Cavell"

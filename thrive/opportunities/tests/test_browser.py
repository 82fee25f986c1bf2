"""Browser journeys, each page checked with axe: a procurement officer tries to bring a tender's
deadline forward, is refused, then extends it with a reason that applicants then read; a
commissioner finds an organisation on the register and invites it to quote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, staff_with_role
from thrive.core.dates import format_deadline
from thrive.opportunities.models import QuoteInvitation
from thrive.opportunities.tests.factories import CriterionFactory, TenderFactory
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_procurement_officer_amends_a_published_tender(live_server, page) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    closes = now + timedelta(days=10)
    tender = TenderFactory(
        title="Carers support service", opens_at=now - timedelta(days=5), closes_at=closes
    )
    CriterionFactory(opportunity=tender, weight=100)
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=tender.council)
    sign_in(page, live_server, officer.username, PASSWORD)

    page.goto(f"{live_server.url}/opportunities/manage/{tender.pk}/")
    page.get_by_role("link", name="Amend or correct").click()
    expect(page.get_by_role("heading", name="Amend the opportunity")).to_be_visible()
    assert_accessible(page)

    earlier = timezone.localtime(closes - timedelta(days=3))
    page.get_by_label("Closing date").fill(f"{earlier:%d/%m/%Y}")
    page.get_by_label("Reason for the amendment").fill("A quicker decision")
    page.get_by_role("button", name="Save and publish").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        f"The new closing date must be later than the current one, {format_deadline(closes)}"
    )
    assert_accessible(page)

    later = timezone.localtime(closes + timedelta(days=7))
    page.get_by_label("Closing date").fill(f"{later:%d/%m/%Y}")
    page.get_by_label("Reason for the amendment").fill("More time to form consortia")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Amendment 1")
    assert_accessible(page)

    page.goto(f"{live_server.url}/opportunities/{tender.pk}/")
    amendments = page.locator("#amendments + .govuk-inset-text")
    expect(amendments).to_contain_text("More time to form consortia")
    expect(amendments).to_contain_text(format_deadline(later))
    assert_accessible(page)


def test_a_commissioner_finds_an_organisation_by_number_and_invites_it(live_server, page) -> None:
    tender = TenderFactory()
    leeds = OrganisationFactory(name="Meadow Carers", town="Leeds")
    IdentifierFactory(organisation=leeds, scheme="GB-CHC", value="1099001", org_id="GB-CHC-1099001")
    OrganisationFactory(name="Meadow Carers", town="York")
    commissioner = staff_with_role(Role.COMMISSIONER, council=tender.council)
    commissioner.role_assignments.update(directorate=tender.directorate)
    sign_in(page, live_server, commissioner.username, PASSWORD)

    page.goto(f"{live_server.url}/opportunities/manage/{tender.pk}/invite/")
    page.get_by_label("Search the register").fill("Meadow")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_label("Meadow Carers (York)")).to_be_visible()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the organisation")
    assert_accessible(page)

    page.get_by_label("Search the register").fill("1099001")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Meadow Carers (GB-CHC-1099001, Leeds)").check()
    page.get_by_label("Note (optional)").fill("Please quote")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Meadow Carers invited.")).to_be_visible()
    assert QuoteInvitation.objects.get(opportunity=tender).organisation == leeds

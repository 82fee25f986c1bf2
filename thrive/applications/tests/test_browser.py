"""Browser journeys, each page checked with axe: a new group applies for a small grant; a
sealed tender stays sealed from a commissioner; a late submission is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, staff_with_role
from thrive.applications.models import Application, ApplicationStatus
from thrive.applications.seed import TENDER_ANSWERS
from thrive.applications.tests.factories import PDF, CompleteApplicationFactory
from thrive.opportunities.tests.factories import OpportunityFactory, TenderFactory
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _save(page, label: str = "Save and continue") -> None:
    page.get_by_role("button", name=label).click()
    assert_accessible(page)


def test_a_new_community_group_checks_eligibility_applies_and_gets_a_receipt(
    live_server, page
) -> None:
    OpportunityFactory(title="Community small grants")
    member = MembershipFactory(is_admin=True, organisation__name="Brookside Drama Group")
    sign_in(page, live_server, member.user.email, PASSWORD)

    page.goto(f"{live_server.url}/opportunities/")
    assert_accessible(page)
    page.get_by_role("link", name="Community small grants").click()
    assert_accessible(page)
    page.get_by_role("link", name="Check if your group is eligible").click()
    assert_accessible(page)
    page.get_by_role("group", name="Is your group independent").get_by_label("Yes").check()
    page.get_by_label("What was your group's total income last year (£)?").fill("4000")
    page.get_by_role("group", name="Does your work benefit").get_by_label("Yes").check()
    page.get_by_label("Buying materials").check()
    page.get_by_label("How much do you want to ask for (£)?").fill("1500")
    page.get_by_role("group", name="Do you have a small grant").get_by_label("No").check()
    page.get_by_role("button", name="Check eligibility").click()
    expect(page.get_by_role("heading", name="Your group can apply", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Start your application").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start or continue your application").click()
    expect(page.locator(".govuk-task-list")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Your organisation", exact=True).click()
    assert "Brookside Drama Group" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the task list").first.click()

    page.get_by_role("link", name="Your project", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Project name").fill("Costumes for our first play")
    page.get_by_label("What will the grant pay for?").fill("Costumes and scripts.")
    page.get_by_label("Buying materials").check()
    page.get_by_label("How will your local community benefit?").fill("A free weekly club.")
    page.get_by_label("When will the project start?").fill("10/1/2027")
    _save(page)

    page.get_by_label("How much are you asking for?").fill("1500")
    page.get_by_label("Budget line 1: what it is for").fill("Costumes")
    page.get_by_label("Budget line 1: amount in pounds").fill("1500")
    _save(page)

    page.get_by_label("Upload a file for a quote or estimate (optional)").set_input_files(
        files=[{"name": "quote.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload file").click()
    assert "quote.pdf" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Back to the task list").first.click()
    page.get_by_role("link", name="Check your answers and submit").click()
    assert_accessible(page)
    page.get_by_label("I confirm that the information").check()
    page.get_by_role("button", name="Accept and submit").click()
    expect(page.get_by_role("heading", name="Application submitted")).to_be_visible()
    assert_accessible(page)
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference in page.locator(".govuk-panel").inner_text()


def test_a_sealed_tender_is_not_visible_to_a_commissioner_before_opening(live_server, page) -> None:
    tender = TenderFactory(title="Carers support service")
    tender.criteria.create(title="Quality", weight=100)
    member = MembershipFactory(is_admin=True)
    application = CompleteApplicationFactory(
        opportunity=tender,
        organisation=member.organisation,
        answers=dict(TENDER_ANSWERS),
        amount_requested_pence=TENDER_ANSWERS["price"],
    )
    sign_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/pages/quality/")
    assert_accessible(page)
    page.get_by_label("Upload a file for method statement").set_input_files(
        files=[{"name": "method.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload file").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/applications/{application.pk}/check/")
    assert_accessible(page)
    page.get_by_label("I confirm that the information").check()
    page.get_by_role("button", name="Accept and submit").click()
    expect(page.get_by_role("heading", name="Application submitted")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    commissioner = staff_with_role("commissioner", council=tender.council)
    commissioner.role_assignments.update(directorate=tender.directorate)
    sign_in(page, live_server, commissioner.username, PASSWORD)
    page.goto(f"{live_server.url}/opportunities/manage/{tender.pk}/")
    assert "Bids are sealed until after the deadline" in page.content()
    assert "Read the applications received" not in page.content()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/applications/{application.pk}/review/")
    assert response.status == 403
    assert TENDER_ANSWERS["approach"] not in page.content()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.reference
    page.goto(f"{live_server.url}/applications/received/{tender.pk}/")
    assert application.reference not in page.content()
    assert_accessible(page)


def test_a_late_submission_is_refused_with_the_deadline(live_server, page) -> None:
    member = MembershipFactory(is_admin=True)
    application = CompleteApplicationFactory(organisation=member.organisation)
    sign_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/check/")
    assert_accessible(page)
    opportunity = application.opportunity
    opportunity.closes_at = timezone.now() - timedelta(seconds=1)
    opportunity.save()
    page.get_by_label("I confirm that the information").check()
    page.get_by_role("button", name="Accept and submit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "The deadline for this opportunity has passed" in summary.inner_text()
    assert "(UK time)" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT

"""In the browser, with axe on each page: "Change" comes back to check your answers, and a
draft past its deadline shows closed with its answers and no form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from thrive.accounts.tests.factories import PASSWORD, MembershipFactory
from thrive.applications.tests.factories import CompleteApplicationFactory
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_change_on_check_your_answers_comes_back_there(live_server, page) -> None:
    application = CompleteApplicationFactory()
    member = MembershipFactory(organisation=application.organisation)
    sign_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/check/")
    assert_accessible(page)
    page.get_by_role("link", name="Change project name").click()
    assert_accessible(page)
    page.get_by_label("Project name").fill("Drama club costumes and lights")
    page.get_by_role("button", name="Save and go back to check your answers").click()
    expect(
        page.get_by_role("heading", name="Check your answers before submitting your application")
    ).to_be_visible()
    expect(page.get_by_text("Drama club costumes and lights")).to_be_visible()
    assert_accessible(page)


def test_a_draft_past_its_deadline_shows_closed(live_server, page) -> None:
    application = CompleteApplicationFactory()
    opportunity = application.opportunity
    opportunity.closes_at = timezone.now() - timedelta(minutes=1)
    opportunity.save()
    member = MembershipFactory(organisation=application.organisation)
    sign_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your project").click()
    expect(page.get_by_text("The deadline for this opportunity has passed")).to_be_visible()
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="See your answers").click()
    expect(page.get_by_role("button", name="Accept and submit")).to_have_count(0)
    assert_accessible(page)

"""Browser journeys, every page checked with axe: an organisation answers the NI 7 survey;
the strategy officer updates an action's status and reads the survey results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, staff_with_role
from thrive.strategy.models import FinancialYear, Influence, PlanAction, SurveyResponse
from thrive.strategy.tests.factories import (
    FinancialYearFactory,
    PlanActionFactory,
    SurveyResponseFactory,
    SurveyRoundFactory,
)
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organisation_answers_the_sector_survey(live_server, page) -> None:
    survey = SurveyRoundFactory()
    member = MembershipFactory(is_admin=True, organisation__name="Brookside Drama Group")
    sign_in(page, live_server, member.user.email, PASSWORD)
    expect(page.get_by_role("link", name="the yearly Third Sector survey")).to_be_visible()

    page.get_by_role("link", name="Sector survey", exact=True).click()
    expect(page.get_by_text("Your answers are anonymous")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Answer for Brookside Drama Group").click()
    assert_accessible(page)

    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name="Overall, how do the council").get_by_label(
        "Fairly positive"
    ).check()
    page.get_by_role("group", name="funding arrangements").get_by_label("Tend to agree").check()
    page.get_by_role("group", name="involves your organisation").get_by_label(
        "Tend to disagree"
    ).check()
    page.get_by_role("group", name="values the work").get_by_label(
        "Don't know or not applicable"
    ).check()
    page.get_by_label("Anything else you want to tell the council?").fill("Keep it simple.")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_text("answers have been sent")).to_be_visible()
    expect(page.get_by_text("Answered", exact=True)).to_be_visible()
    assert_accessible(page)

    saved = SurveyResponse.objects.get(round=survey)
    assert saved.overall == Influence.FAIRLY_POSITIVE and saved.comment == "Keep it simple."


def test_the_strategy_officer_updates_an_action_and_reads_the_survey(live_server, page) -> None:
    officer = staff_with_role(Role.STRATEGY_GROUP)
    today = timezone.localdate()
    year = FinancialYearFactory(start_year=FinancialYear.start_year_for(today))
    PlanActionFactory(
        council=officer.council,
        financial_year=year,
        title="Publish the small grants guidance",
        section="3.1",
        due_date=today - timedelta(days=3),
    )
    PlanActionFactory(council=officer.council, financial_year=year, title="Run the NI 7 survey")
    survey = SurveyRoundFactory(council=officer.council, financial_year=year)
    for overall in (5, 4, 4, 3, 1):
        SurveyResponseFactory(round=survey, overall=overall, comment="Helpful staff")
    sign_in(page, live_server, officer.username, PASSWORD)

    page.get_by_role("link", name="Action plan").first.click()
    expect(page.get_by_text("1 overdue")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Update status of Publish the small grants guidance").click()
    expect(page.get_by_text("This action is overdue")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Done").check()
    page.get_by_label("Progress note (optional)").fill("Published on the website.")
    page.get_by_role("button", name="Save status").click()
    updated = page.get_by_text("Status of “Publish the small grants guidance” updated")
    expect(updated).to_be_visible()
    expect(page.get_by_text("Published on the website.")).to_be_visible()
    assert_accessible(page)
    assert PlanAction.objects.get(title__startswith="Publish").status == "done"

    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="NI 7 survey", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=f"{year} survey results").click()
    expect(page.get_by_text("60.0%").first).to_be_visible()
    assert_accessible(page)

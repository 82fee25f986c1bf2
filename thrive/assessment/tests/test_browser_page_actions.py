"""In the browser, with axe on each page: the runner sees who has not finished before opening
moderation, and the recommender is told why they cannot approve, with no form to press."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from thrive.accounts.tests.factories import PASSWORD
from thrive.assessment.services import panels
from thrive.assessment.tests.factories import make_round
from thrive.assessment.tests.test_services import _moderated_round, _recommend
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_runner_sees_who_has_not_finished_before_opening_moderation(live_server, page) -> None:
    rnd = make_round()
    panels.declare_conflict(member=rnd.members[0], has_conflict=False)
    sign_in(page, live_server, rnd.runner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessment/opportunities/{rnd.opportunity.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Open moderation").click()
    table = page.get_by_role("table", name="Who has not finished")
    expect(table).to_contain_text("Has not declared conflicts of interest")
    expect(table).to_contain_text(f"Has not scored: {rnd.applications[0].reference}")
    assert_accessible(page)


def test_the_recommender_is_told_why_there_is_no_approval_form(live_server, page) -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    sign_in(page, live_server, rnd.runner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessment/decisions/{decision.pk}/")
    expect(page.get_by_text("You cannot approve your own recommendation")).to_be_visible()
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    assert_accessible(page)

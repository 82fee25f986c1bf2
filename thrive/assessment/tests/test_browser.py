"""Browser journey, each page checked with axe: two assessors declare and score, a third who
declared a conflict is blocked, the panel moderates, an officer approves within their
delegated limit, which makes the award; the offer letter is issued and the provider accepts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, staff_with_role
from thrive.applications.models import ApplicationStatus
from thrive.assessment.models import Decision, DecisionStatus
from thrive.assessment.tests.factories import make_round
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def _declare(page, live_server, opportunity, conflict_with: str = "") -> None:
    page.goto(f"{live_server.url}/assessment/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Declare conflicts for {opportunity.reference}").click()
    assert_accessible(page)
    if conflict_with:
        page.get_by_label("Yes", exact=True).check()
        page.get_by_label(conflict_with).check()
        page.get_by_label("Describe the conflict").fill("I am a trustee of this charity")
    else:
        page.get_by_label("No, I have no conflict of interest").check()
    page.get_by_role("button", name="Record my declaration").click()
    expect(page.get_by_text("Declaration recorded.")).to_be_visible()
    assert_accessible(page)


def _fill_scores(page, quality: str, comment_label: str = "Comment") -> None:
    page.get_by_role("group", name="Quality (50%)").get_by_label(quality).check()
    page.get_by_role("group", name="Social value (20%)").get_by_label("3: Satisfactory").check()
    page.get_by_role("group", name="Safeguarding policy (pass or fail)").get_by_label(
        "Pass", exact=True
    ).check()
    if comment_label == "Comment":
        for title in ("Quality", "Social value", "Safeguarding policy"):
            page.get_by_label(f"Comment on {title}").fill(f"Evidence on {title.lower()} is clear.")


def _score(page, application, quality: str) -> None:
    page.get_by_role("link", name=f"Score {application.reference}").click()
    assert_accessible(page)
    _fill_scores(page, quality)
    page.get_by_role("button", name="Save my scores").click()
    assert_accessible(page)


def test_panel_declares_scores_moderates_and_an_officer_approves(live_server, page) -> None:
    rnd = make_round(assessors=3)
    first_app, second_app = rnd.applications
    first, second, conflicted = (m.user for m in rnd.members)
    opportunity = rnd.opportunity

    for assessor in (first, second):
        _as(page, live_server, assessor)
        _declare(page, live_server, opportunity)
        _score(page, first_app, "5: Excellent")
        _score(page, second_app, "3: Satisfactory")

    _as(page, live_server, conflicted)
    _declare(page, live_server, opportunity, conflict_with=first_app.organisation.name)
    expect(page.get_by_text("Conflict of interest: not shown to you")).to_be_visible()
    page.goto(f"{live_server.url}/assessment/applications/{first_app.pk}/score/")
    expect(page.get_by_role("heading", name="You declared a conflict of interest")).to_be_visible()
    assert_accessible(page)

    _as(page, live_server, rnd.runner)
    page.goto(f"{live_server.url}/assessment/opportunities/{opportunity.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Open moderation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open moderation").click()
    assert_accessible(page)
    for application, quality in ((first_app, "5: Excellent"), (second_app, "3: Satisfactory")):
        page.get_by_role("link", name=f"Moderate {application.reference}").click()
        assert_accessible(page)
        _fill_scores(page, quality, comment_label="Reason")
        page.get_by_role("button", name="Save agreed scores").click()
        assert_accessible(page)
        if application is first_app:
            page.get_by_role("link", name="Back to the panel").click()
    expect(page.get_by_text("the higher quality score ranks first")).to_be_visible()
    page.get_by_role("link", name="Recommend").click()
    assert_accessible(page)
    page.get_by_label("Start date").fill("2027-04-01")
    page.get_by_label("End date").fill("2030-04-30")
    page.get_by_label("Reasons for the recommendation").fill("Highest weighted total")
    page.get_by_role("button", name="Send for approval").click()
    assert_accessible(page)

    officer = staff_with_role(Role.STRATEGY_GROUP, council=opportunity.council)
    decision = Decision.objects.get()
    _as(page, live_server, officer)
    page.goto(f"{live_server.url}/assessment/decisions/{decision.pk}/")
    assert_accessible(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Approved. The applicants are being told the result.")).to_be_visible()
    assert_accessible(page)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    first_app.refresh_from_db()
    second_app.refresh_from_db()
    assert first_app.status == ApplicationStatus.SUCCESSFUL
    assert second_app.status == ApplicationStatus.UNSUCCESSFUL
    award = decision.winners.get().award
    assert award is not None
    page.get_by_role("link", name=f"award {award.reference}").click()
    assert_accessible(page)

    _as(page, live_server, staff_with_role(Role.COUNCIL_ADMIN, council=opportunity.council))
    page.goto(f"{live_server.url}/awards/{award.reference}/offer/")
    assert_accessible(page)
    page.get_by_role("button", name="Issue the offer").click()
    assert_accessible(page)

    provider = MembershipFactory(organisation=first_app.organisation, is_admin=True).user
    _as(page, live_server, provider)
    page.goto(f"{live_server.url}/awards/yours/{award.reference}/")
    assert_accessible(page)
    page.get_by_role("link", name="Read the").first.click()
    assert_accessible(page)
    page.go_back()
    page.get_by_label("Your full name").fill("Pat Provider")
    page.get_by_label("I have read the award letter").check()
    page.get_by_role("button", name="Accept the award").click()
    expect(page.get_by_text("You have accepted the award")).to_be_visible()
    assert_accessible(page)
    award.refresh_from_db()
    assert award.accepted_at is not None

"""Browser journeys for the Third Sector test (§1.4), each page checked with axe-core."""

from __future__ import annotations

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import (
    PASSWORD,
    CouncilFactory,
    MembershipFactory,
    staff_with_role,
)
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.services import record_third_sector_test
from thrive.organisations.tests.factories import THIRD_SECTOR_ANSWERS
from thrive.testing.browser import assert_accessible, sign_in

QUESTIONS = ("independent", "value_driven", "reinvests_surpluses")


def _answered_admin():
    admin = MembershipFactory(is_admin=True)
    record_third_sector_test(
        organisation=admin.organisation,
        answers={q: THIRD_SECTOR_ANSWERS[q] for q in QUESTIONS},
        evidence={q: THIRD_SECTOR_ANSWERS[f"{q}_evidence"] for q in QUESTIONS},
        actor=admin.user,
    )
    return admin


def test_an_officer_of_another_council_queries_the_answers(live_server, page) -> None:
    org = _answered_admin().organisation
    officer = staff_with_role(Role.COMMISSIONER, council=CouncilFactory(name="Eastvale"))
    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/organisations/{org.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Review the answers").click()
    assert_accessible(page)
    page.get_by_label("No, query them with the organisation").check()
    page.get_by_role("button", name="Record review").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter what the organisation needs to explain or change" in summary
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Reason").fill("Send the clause of your constitution on surpluses.")
    page.get_by_role("button", name="Record review").click()
    assert "Review recorded" in page.locator(".govuk-notification-banner").inner_text()
    main = page.locator("main").inner_text()
    assert "Queried by an officer" in main and "clause of your constitution" in main
    assert_accessible(page)


def test_an_admin_changes_the_kept_answer_from_the_eligibility_checker(live_server, page) -> None:
    admin = _answered_admin()
    opportunity = OpportunityFactory()
    sign_in(page, live_server, admin.user.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/small-grants/{opportunity.pk}/eligibility/")
    assert "comes from" in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("#id_third_sector_1").check()
    page.get_by_label("What was your group's total income last year (£)?").fill("2000")
    page.locator("#id_local_benefit_0").check()
    page.get_by_label("Something else").check()
    page.get_by_label("How much do you want to ask for (£)?").fill("500")
    page.locator("#id_current_grant_1").check()
    page.get_by_role("button", name="Check eligibility").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record your answers to the Third Sector test").click()
    assert_accessible(page)
    page.get_by_label("Evidence of independence").fill("The council appoints our board.")
    page.get_by_role("button", name="Record answers").click()
    assert "/eligibility/" in page.url
    assert "Third Sector test recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    admin.organisation.refresh_from_db()
    assert admin.organisation.independent == "no"

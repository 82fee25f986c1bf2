"""Browser journey, each page checked with axe: a provider submits a return, the officer
queries it, the provider resubmits and the officer accepts it with a rating."""

from __future__ import annotations

from datetime import date

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, staff_with_role
from thrive.monitoring.models import ReturnStatus
from thrive.monitoring.tests.factories import award_with_plan, held_instalment
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sign_out(page, live_server) -> None:
    page.context.clear_cookies()


def test_provider_submits_officer_queries_then_accepts(live_server, page) -> None:
    award, plan = award_with_plan(
        amount_pence=3_000_00,
        title="Befriending older people",
        organisation__name="Riverside Befrienders",
        start_date=date(2025, 4, 1),
        end_date=date(2026, 3, 31),
    )
    held_instalment(award)
    item = plan.returns.get()
    member = MembershipFactory(is_admin=True, organisation=award.organisation)
    officer = staff_with_role(Role.COMMISSIONER, council=award.council)
    officer.role_assignments.update(directorate=award.directorate)
    target = award.targets.get()

    sign_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/monitoring/your-returns/")
    assert_accessible(page)
    page.get_by_role("link", name="1 Apr 2025 to 31 Mar 2026").click()
    assert_accessible(page)
    page.get_by_role("link", name="Fill in the return").click()
    assert_accessible(page)
    page.get_by_label("Spend on Befriending older people this period (£)").fill("2,950")
    page.get_by_label(f"{target.description} (people): achieved so far").fill("110")
    page.get_by_role("button", name="Submit the return").click()
    assert "There is a problem" in page.content()
    assert_accessible(page)
    page.get_by_label("Summary of the period").fill("Forty new friendships made.")
    page.get_by_role("button", name="Submit the return").click()
    assert "Return submitted" in page.content()
    assert_accessible(page)

    _sign_out(page, live_server)
    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/monitoring/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/monitoring/all-returns/?status=submitted")
    assert_accessible(page)
    page.get_by_role("link", name="Riverside Befrienders").click()
    assert_accessible(page)
    page.get_by_role("link", name="Accept or query the return").click()
    assert_accessible(page)
    page.get_by_label("Query the return").check()
    page.get_by_label("What does the provider need to change?").fill("Say how many were new.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Return queried" in page.content()
    assert_accessible(page)

    _sign_out(page, live_server)
    sign_in(page, live_server, member.user.email, PASSWORD)
    page.goto(f"{live_server.url}/monitoring/returns/{item.pk}/")
    assert "Say how many were new." in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Change and resubmit the return").click()
    page.get_by_label("Summary of the period").fill("Forty new friendships; 32 were new.")
    page.get_by_role("button", name="Submit the return").click()
    assert_accessible(page)

    _sign_out(page, live_server)
    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/monitoring/returns/{item.pk}/decide/")
    assert_accessible(page)
    page.get_by_label("Accept the return").check()
    page.get_by_label("Green").check()
    page.get_by_label("Reason for the rating").fill("Targets exceeded.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Return accepted" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the plan").click()
    assert_accessible(page)
    item.refresh_from_db()
    assert (item.status, item.rating) == (ReturnStatus.ACCEPTED, "green")
    assert award.instalments.get().released_at is not None


def test_lead_funders_list_each_directorates_funding_and_lead_to_appointing_one(
    live_server, page
) -> None:
    from thrive.awards.tests.factories import AwardFactory, DirectorateFactory

    award, _plan = award_with_plan(amount_pence=30_000_00, organisation__name="Lunch Club")
    children = DirectorateFactory(council=award.council, code="children", name="Children")
    for amount in (2_000_00, 3_000_00):
        AwardFactory(organisation=award.organisation, council=award.council,
                     directorate=children, amount_pence=amount)  # fmt: skip
    strategist = staff_with_role(Role.STRATEGY_GROUP, council=award.council)

    sign_in(page, live_server, strategist.username, PASSWORD)
    page.goto(f"{live_server.url}/monitoring/lead-funders/")
    assert page.get_by_role("cell", name="Children: £5,000.00 (2 awards)").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Appoint a lead funder for Lunch Club").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Appoint a lead funder"
    assert_accessible(page)

"""Browser journeys: each role starts at its home page and reaches its first to-do item by clicking.

No address is typed after signing in; axe checks every page on the way.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import (
    PASSWORD,
    CouncilFactory,
    MembershipFactory,
    staff_with_role,
)
from thrive.applications.tests.factories import ApplicationFactory, SubmittedApplicationFactory
from thrive.assessment.tests.factories import PanelMemberFactory, WinnerFactory
from thrive.commissioning.tests.factories import commissioner_of
from thrive.opportunities.tests.factories import ClarificationFactory, OpportunityFactory
from thrive.organisations.models import TestOutcome
from thrive.strategy.tests.factories import PlanActionFactory
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _council():
    return CouncilFactory(name="Westshire County Council", slug="westshire")


def _commissioner():
    question = ClarificationFactory(opportunity=OpportunityFactory(council=_council()))
    user = commissioner_of(question.opportunity.directorate)
    return user, reverse("opportunities:answer", args=[question.pk])


def _procurement_officer():
    application = SubmittedApplicationFactory(opportunity=OpportunityFactory(council=_council()))
    user = staff_with_role(Role.PROCUREMENT_OFFICER, council=application.opportunity.council)
    return user, reverse("applications:review", args=[application.pk])


def _finance_officer():
    decision = WinnerFactory(
        amount_pence=1_000_000, decision__opportunity__council=_council()
    ).decision
    user = staff_with_role(Role.FINANCE_OFFICER, council=decision.opportunity.council)
    return user, reverse("assessment:decision", args=[decision.pk])


def _strategy_group():
    action = PlanActionFactory(
        council=_council(), due_date=timezone.localdate() - timedelta(days=5)
    )
    user = staff_with_role(Role.STRATEGY_GROUP, council=action.council)
    return user, reverse("strategy:action_status", args=[action.pk])


def _assessor():
    member = PanelMemberFactory(panel__opportunity__council=_council())
    return member.user, reverse("assessment:declare", args=[member.panel.opportunity_id])


def _provider():
    draft = ApplicationFactory(organisation__third_sector_outcome=TestOutcome.MEETS)
    user = MembershipFactory(organisation=draft.organisation, is_admin=True).user
    return user, reverse("applications:tasks", args=[draft.pk])


JOURNEYS = {
    "commissioner": _commissioner,
    "procurement_officer": _procurement_officer,
    "finance_officer": _finance_officer,
    "strategy_group": _strategy_group,
    "assessor": _assessor,
    "provider": _provider,
}


@pytest.mark.parametrize("who", list(JOURNEYS))
def test_from_the_home_page_to_the_first_to_do_item_by_clicking(live_server, page, who) -> None:
    user, destination = JOURNEYS[who]()
    sign_in(page, live_server, user.username, PASSWORD)

    assert page.url == f"{live_server.url}/"
    home_items = page.locator("table.app-worklist a")
    expect(home_items.first).to_be_visible()
    assert home_items.first.get_attribute("href") == destination
    assert_accessible(page)

    to_do = page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=re.compile("^To do")
    )
    assert to_do.text_content() == "To do (1 waiting)"
    to_do.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your to-do list")
    assert_accessible(page)

    page.locator("table.app-worklist a").first.click()
    page.wait_for_load_state("load")
    assert page.url == f"{live_server.url}{destination}"
    assert_accessible(page)

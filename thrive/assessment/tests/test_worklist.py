"""What assessment puts on people's to-do lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.assessment import worklist as assessment_worklist
from thrive.assessment.models import DecisionStatus
from thrive.assessment.tests.factories import (
    DecisionFactory,
    PanelMemberFactory,
    WinnerFactory,
)
from thrive.core import worklist

pytestmark = pytest.mark.django_db


def _approvals(user):
    return [i for i in worklist.items_for(user) if i.kind == "assessment.approve"]


def test_finance_officer_sees_a_recommendation_within_their_limit_with_its_link():
    winner = WinnerFactory(amount_pence=1_000_000)
    decision = winner.decision
    finance = staff_with_role(Role.FINANCE_OFFICER, council=decision.opportunity.council)

    [item] = _approvals(finance)

    assert item.url == reverse("assessment:decision", args=[decision.pk])
    assert item.since == decision.recommended_at
    assert decision.opportunity.title in item.title
    assert "£10,000.00" in item.detail


def test_recommendation_over_the_delegated_limit_is_left_to_a_higher_approver():
    decision = WinnerFactory(amount_pence=6_000_000).decision  # finance limit is £50,000
    council = decision.opportunity.council
    finance = staff_with_role(Role.FINANCE_OFFICER, council=council)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=council)

    assert _approvals(finance) == []
    assert len(_approvals(strategy)) == 1


def test_recommender_and_panel_members_are_not_asked_to_approve():
    decision = WinnerFactory(amount_pence=1_000_000).decision
    council = decision.opportunity.council
    panellist = staff_with_role(Role.COMMISSIONER, council=council)
    PanelMemberFactory(panel__opportunity=decision.opportunity, user=panellist)

    assert _approvals(decision.recommended_by) == []
    assert _approvals(panellist) == []


def test_decided_and_other_councils_decisions_are_not_listed():
    WinnerFactory(decision__status=DecisionStatus.APPROVED)
    decision = WinnerFactory().decision
    other = staff_with_role(Role.STRATEGY_GROUP, council=CouncilFactory(name="Eastvale", slug="e"))

    assert _approvals(other) == []
    assert (
        len(_approvals(staff_with_role(Role.STRATEGY_GROUP, council=decision.opportunity.council)))
        == 1
    )


def test_assessors_and_providers_have_no_approvals():
    decision = WinnerFactory().decision
    assessor = staff_with_role(Role.ASSESSOR, council=decision.opportunity.council)

    assert _approvals(assessor) == []


def test_approvals_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    first = WinnerFactory().decision
    DecisionFactory(opportunity__council=first.opportunity.council)  # no winners: no amount
    for _ in range(4):
        WinnerFactory(decision__opportunity__council=first.opportunity.council)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=first.opportunity.council)
    strategy.role_codes()

    with django_assert_max_num_queries(2):
        assert len(list(assessment_worklist.decisions_to_approve(strategy))) == 5

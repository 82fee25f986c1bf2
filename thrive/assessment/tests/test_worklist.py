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
    DeclarationFactory,
    PanelMemberFactory,
    ScoreFactory,
    WinnerFactory,
    make_round,
)
from thrive.core import worklist

pytestmark = pytest.mark.django_db


def test_finance_officer_sees_a_recommendation_within_their_limit_with_its_link():
    winner = WinnerFactory(amount_pence=1_000_000)
    decision = winner.decision
    finance = staff_with_role(Role.FINANCE_OFFICER, council=decision.opportunity.council)

    [item] = worklist.items_of(finance, "assessment.approve")

    assert item.url == reverse("assessment:decision", args=[decision.pk])
    assert item.since == decision.recommended_at
    assert decision.opportunity.title in item.title
    assert "£10,000.00" in item.detail


def test_recommendation_over_the_delegated_limit_is_left_to_a_higher_approver():
    decision = WinnerFactory(amount_pence=6_000_000).decision  # finance limit is £50,000
    council = decision.opportunity.council
    finance = staff_with_role(Role.FINANCE_OFFICER, council=council)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=council)

    assert worklist.items_of(finance, "assessment.approve") == []
    assert len(worklist.items_of(strategy, "assessment.approve")) == 1


def test_recommender_and_panel_members_are_not_asked_to_approve():
    decision = WinnerFactory(amount_pence=1_000_000).decision
    council = decision.opportunity.council
    panellist = staff_with_role(Role.COMMISSIONER, council=council)
    PanelMemberFactory(panel__opportunity=decision.opportunity, user=panellist)

    assert worklist.items_of(decision.recommended_by, "assessment.approve") == []
    assert worklist.items_of(panellist, "assessment.approve") == []


def test_decided_and_other_councils_decisions_are_not_listed():
    WinnerFactory(decision__status=DecisionStatus.APPROVED)
    decision = WinnerFactory().decision
    other = staff_with_role(Role.STRATEGY_GROUP, council=CouncilFactory(name="Eastvale", slug="e"))

    assert worklist.items_of(other, "assessment.approve") == []
    assert (
        len(
            worklist.items_of(
                staff_with_role(Role.STRATEGY_GROUP, council=decision.opportunity.council),
                "assessment.approve",
            )
        )
        == 1
    )


def test_assessors_have_no_approvals():
    decision = WinnerFactory().decision
    assessor = staff_with_role(Role.ASSESSOR, council=decision.opportunity.council)

    assert worklist.items_of(assessor, "assessment.approve") == []


def test_approvals_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    first = WinnerFactory().decision
    DecisionFactory(opportunity__council=first.opportunity.council)  # no winners: no amount
    for _ in range(4):
        WinnerFactory(decision__opportunity__council=first.opportunity.council)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=first.opportunity.council)
    strategy.role_codes()

    with django_assert_max_num_queries(2):
        assert len(list(assessment_worklist.decisions_to_approve(strategy))) == 5


def test_new_panel_member_is_asked_to_declare_then_to_score_what_is_left():
    rnd = make_round(assessors=1)
    [member] = rnd.members
    [declare] = worklist.items_of(member.user, "assessment.declare")
    assert declare.url == reverse("assessment:declare", args=[rnd.opportunity.pk])
    assert worklist.items_of(member.user, "assessment.score") == []

    DeclarationFactory(member=member)
    ScoreFactory(application=rnd.applications[0], criterion=rnd.quality, assessor=member.user)
    ScoreFactory(application=rnd.applications[0], criterion=rnd.social, assessor=member.user)
    worklist.forget(member.user)

    assert worklist.items_of(member.user, "assessment.declare") == []
    [score] = worklist.items_of(member.user, "assessment.score")
    assert score.url == reverse("assessment:panel", args=[rnd.opportunity.pk])
    assert "1 of 2 applications" in score.detail


def test_member_who_has_scored_everything_has_nothing_to_score():
    rnd = make_round(assessors=1)
    [member] = rnd.members
    DeclarationFactory(member=member)
    for application in rnd.applications:
        ScoreFactory(application=application, criterion=rnd.quality, assessor=member.user)

    assert worklist.items_of(member.user, "assessment.score") == []


def test_runner_is_asked_to_open_moderation_once_scoring_has_begun():
    rnd = make_round(assessors=1)
    assert worklist.items_of(rnd.runner, "assessment.moderate") == []

    ScoreFactory(
        application=rnd.applications[0], criterion=rnd.quality, assessor=rnd.members[0].user
    )
    worklist.forget(rnd.runner)

    [item] = worklist.items_of(rnd.runner, "assessment.moderate")
    assert item.url == reverse("assessment:panel", args=[rnd.opportunity.pk])
    other = staff_with_role(Role.PROCUREMENT_OFFICER, council=CouncilFactory(slug="o", name="O"))
    assert worklist.items_of(other, "assessment.moderate") == []


def test_panel_work_takes_one_query(django_assert_max_num_queries):
    rnd = make_round(assessors=1)
    user = rnd.members[0].user
    for _ in range(3):
        PanelMemberFactory(user=user, panel__opportunity__council=rnd.opportunity.council)

    with django_assert_max_num_queries(1):
        assert len(list(assessment_worklist.panel_work(user))) == 4

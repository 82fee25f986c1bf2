"""Clarification questions on the to-do lists of the officers who run the opportunity."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.commissioning.tests.factories import commissioner_of
from thrive.core import worklist
from thrive.opportunities import worklist as opportunities_worklist
from thrive.opportunities.tests.factories import ClarificationFactory
from thrive.strategy.tests.factories import DirectorateFactory

pytestmark = pytest.mark.django_db


def test_unanswered_question_waits_on_the_directorates_commissioner_and_procurement():
    question = ClarificationFactory()
    opportunity = question.opportunity
    commissioner = commissioner_of(opportunity.directorate)
    procurement = staff_with_role(Role.PROCUREMENT_OFFICER, council=opportunity.council)

    [item] = worklist.items_of(commissioner, "opportunities.answer")
    assert item.url == reverse("opportunities:answer", args=[question.pk])
    assert item.since == question.asked_at
    assert len(worklist.items_of(procurement, "opportunities.answer")) == 1


def test_other_directorates_and_answered_questions_are_not_listed():
    question = ClarificationFactory(published_at=timezone.now(), answer="Yes.")
    elsewhere = commissioner_of(DirectorateFactory(council=question.opportunity.council))
    ClarificationFactory(opportunity=question.opportunity)
    finance = staff_with_role(Role.FINANCE_OFFICER, council=question.opportunity.council)

    assert worklist.items_of(elsewhere, "opportunities.answer") == []
    assert worklist.items_of(finance, "opportunities.answer") == []
    assert (
        len(
            worklist.items_of(
                commissioner_of(question.opportunity.directorate), "opportunities.answer"
            )
        )
        == 1
    )


def test_questions_take_one_query(django_assert_max_num_queries):
    question = ClarificationFactory()
    for _ in range(3):
        ClarificationFactory(opportunity=question.opportunity)
    commissioner = commissioner_of(question.opportunity.directorate)
    commissioner.role_codes()
    commissioner.directorate_ids()

    with django_assert_max_num_queries(1):
        assert len(list(opportunities_worklist.questions_to_answer(commissioner))) == 4

"""A recommendation is emailed to each officer who may approve it, and to nobody else."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from thrive.accounts.models import Role, TodoEmails
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.assessment import tasks
from thrive.assessment.tests.factories import WinnerFactory, add_role
from thrive.assessment.tests.test_services import (
    _moderated_round,
    _recommend,
    limit_finance_officers,
)
from thrive.testing.mail import queries_to_run, recipients

pytestmark = pytest.mark.django_db


def _recommended(django_capture_on_commit_callbacks, rnd):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = _recommend(rnd)
    return decision


def test_a_recommendation_is_emailed_once_to_each_officer_who_may_approve_it(
    django_capture_on_commit_callbacks, settings
) -> None:
    settings.THRIVE_SITE_URL = "https://thrive.example.gov.uk"
    rnd = _moderated_round()
    council = rnd.opportunity.council
    finance = staff_with_role(Role.FINANCE_OFFICER, council=council)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=council)
    staff_with_role(Role.ASSESSOR, council=council)
    staff_with_role(Role.COUNCIL_ADMIN, council=council)
    staff_with_role(Role.FINANCE_OFFICER, council=council, is_active=False)
    staff_with_role(Role.SYSTEM_ADMIN)
    elsewhere = CouncilFactory(name="Eastvale Borough Council", slug="eastvale")
    staff_with_role(Role.FINANCE_OFFICER, council=elsewhere)
    staff_with_role(Role.STRATEGY_GROUP, council=elsewhere)

    decision = _recommended(django_capture_on_commit_callbacks, rnd)

    assert recipients() == sorted([finance.email, strategy.email])
    message = mail.outbox[0]
    assert rnd.opportunity.title in message.subject
    path = reverse("assessment:decision", kwargs={"decision_id": decision.pk})
    assert f"https://thrive.example.gov.uk{path}" in message.body
    assert f'href="https://thrive.example.gov.uk{path}"' in message.alternatives[0][0]
    assert council.name in message.body
    assert "£50,000.00" in message.body
    assert rnd.applications[0].organisation.name in message.body


def test_the_recommender_and_the_panel_are_not_asked_to_approve(
    django_capture_on_commit_callbacks,
) -> None:
    rnd = _moderated_round()
    council = rnd.opportunity.council
    add_role(rnd.members[0].user, Role.FINANCE_OFFICER)  # on the panel
    add_role(rnd.runner, Role.FINANCE_OFFICER)  # the recommender, an approver's role too
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=council)

    _recommended(django_capture_on_commit_callbacks, rnd)

    assert recipients() == [strategy.email]


def test_an_officer_whose_limit_is_below_the_amount_is_not_asked(
    django_capture_on_commit_callbacks,
) -> None:
    rnd = _moderated_round()
    council = rnd.opportunity.council
    limit_finance_officers(council, 10_000_00)
    staff_with_role(Role.FINANCE_OFFICER, council=council)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=council)

    _recommended(django_capture_on_commit_callbacks, rnd)

    assert recipients() == [strategy.email]


def test_officers_who_chose_a_daily_summary_or_no_emails_are_not_emailed_now(
    django_capture_on_commit_callbacks,
) -> None:
    rnd = _moderated_round()
    council = rnd.opportunity.council
    staff_with_role(Role.FINANCE_OFFICER, council=council, todo_emails=TodoEmails.DAILY)
    staff_with_role(Role.STRATEGY_GROUP, council=council, todo_emails=TodoEmails.NONE)
    each = staff_with_role(Role.STRATEGY_GROUP, council=council)

    _recommended(django_capture_on_commit_callbacks, rnd)

    assert recipients() == [each.email]


def test_nothing_is_sent_for_a_decision_no_longer_awaiting_approval() -> None:
    winner = WinnerFactory(amount_pence=1_000_000, decision__status="rejected")
    staff_with_role(Role.STRATEGY_GROUP, council=winner.decision.opportunity.council)
    assert tasks.send_approval_requested.call(winner.decision.pk) == 0
    assert mail.outbox == []


def test_the_database_is_asked_the_same_questions_however_many_approvers() -> None:
    decision = WinnerFactory(amount_pence=1_000_000).decision
    council = decision.opportunity.council
    staff_with_role(Role.STRATEGY_GROUP, council=council)
    few = queries_to_run(tasks.send_approval_requested, decision.pk)
    for _ in range(4):
        staff_with_role(Role.FINANCE_OFFICER, council=council)
        staff_with_role(Role.COMMISSIONER, council=council)
    many = queries_to_run(tasks.send_approval_requested, decision.pk)
    assert len(mail.outbox) == 9
    assert many == few

"""A clarification question is emailed to the officers who answer it, and to nobody else."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from thrive.accounts.models import Role, TodoEmails
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.awards.tests.factories import DirectorateFactory
from thrive.opportunities import services, tasks
from thrive.opportunities.tests.factories import ClarificationFactory, OpportunityFactory
from thrive.testing.mail import queries_to_run, recipients

pytestmark = pytest.mark.django_db


def _commissioner(council, directorate, **kwargs):
    officer = staff_with_role(Role.COMMISSIONER, council=council, **kwargs)
    officer.role_assignments.update(directorate=directorate)
    return officer


def _ask(django_capture_on_commit_callbacks, opportunity, question="Can we hire a room?"):
    member = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        return services.ask_clarification(
            opportunity=opportunity,
            organisation=member.organisation,
            actor=member.user,
            question=question,
        )


def test_a_question_is_emailed_once_to_each_officer_who_answers_it(
    django_capture_on_commit_callbacks, settings
) -> None:
    settings.THRIVE_SITE_URL = "https://thrive.example.gov.uk"
    opportunity = OpportunityFactory()
    council = opportunity.council
    runner = _commissioner(council, opportunity.directorate)
    procurement = staff_with_role(Role.PROCUREMENT_OFFICER, council=council)
    _commissioner(council, DirectorateFactory(council=council, code="place", name="Place"))
    staff_with_role(Role.COMMISSIONER, council=council)  # no directorate: runs nothing
    staff_with_role(Role.ASSESSOR, council=council)
    staff_with_role(Role.STRATEGY_GROUP, council=council)
    staff_with_role(Role.SYSTEM_ADMIN)
    elsewhere = CouncilFactory(name="Eastvale Borough Council", slug="eastvale")
    staff_with_role(Role.PROCUREMENT_OFFICER, council=elsewhere)

    clarification = _ask(django_capture_on_commit_callbacks, opportunity)

    assert recipients() == sorted([runner.email, procurement.email])
    message = mail.outbox[0]
    assert opportunity.title in message.subject
    assert "Can we hire a room?" in message.body
    path = reverse("opportunities:answer", kwargs={"clarification_id": clarification.pk})
    assert f"https://thrive.example.gov.uk{path}" in message.body
    assert council.name in message.body


def test_officers_who_chose_a_daily_summary_or_no_emails_are_not_emailed_now(
    django_capture_on_commit_callbacks,
) -> None:
    opportunity = OpportunityFactory()
    council = opportunity.council
    staff_with_role(Role.PROCUREMENT_OFFICER, council=council, todo_emails=TodoEmails.DAILY)
    _commissioner(council, opportunity.directorate, todo_emails=TodoEmails.NONE)
    each = staff_with_role(Role.PROCUREMENT_OFFICER, council=council)

    _ask(django_capture_on_commit_callbacks, opportunity)

    assert [m.to for m in mail.outbox] == [[each.email]]


def test_an_answered_question_is_not_announced() -> None:
    question = ClarificationFactory()
    staff_with_role(Role.PROCUREMENT_OFFICER, council=question.opportunity.council)
    question.published_at = question.asked_at
    question.save()
    assert tasks.send_question_asked.call(question.pk) == 0
    assert mail.outbox == []


def test_the_database_is_asked_the_same_questions_however_many_officers() -> None:
    question = ClarificationFactory()
    opportunity = question.opportunity

    staff_with_role(Role.PROCUREMENT_OFFICER, council=opportunity.council)
    few = queries_to_run(tasks.send_question_asked, question.pk)
    for _ in range(4):
        _commissioner(opportunity.council, opportunity.directorate)
    many = queries_to_run(tasks.send_question_asked, question.pk)
    assert len(mail.outbox) == 5
    assert many == few

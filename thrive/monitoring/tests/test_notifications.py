"""A submitted return is emailed to the officers who review it, and to nobody else."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from thrive.accounts.models import Role, TodoEmails
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.awards.tests.factories import DirectorateFactory
from thrive.monitoring import services, tasks
from thrive.monitoring.tests.factories import award_with_plan, fill
from thrive.testing.mail import queries_to_run, recipients

pytestmark = pytest.mark.django_db


def _officer(council, directorate, **kwargs):
    officer = staff_with_role(Role.COMMISSIONER, council=council, **kwargs)
    officer.role_assignments.update(directorate=directorate)
    return officer


def _submit(django_capture_on_commit_callbacks, item):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return services.submit_return(monitoring_return=item, actor=None)


def test_a_submitted_return_is_emailed_once_to_each_officer_of_the_lead_directorate(
    django_capture_on_commit_callbacks, settings
) -> None:
    settings.THRIVE_SITE_URL = "https://thrive.example.gov.uk"
    award, plan = award_with_plan(amount_pence=30_000_00)
    reviewers = [_officer(award.council, plan.lead_directorate) for _ in range(2)]
    other = DirectorateFactory(council=award.council, code="place", name="Place")
    _officer(award.council, other)
    _officer(award.council, plan.lead_directorate, is_active=False)
    staff_with_role(Role.STRATEGY_GROUP, council=award.council)
    staff_with_role(Role.FINANCE_OFFICER, council=award.council)
    elsewhere = CouncilFactory(name="Eastvale Borough Council", slug="eastvale")
    _officer(elsewhere, DirectorateFactory(council=elsewhere, code="people", name="People"))

    item = _submit(django_capture_on_commit_callbacks, fill(plan.returns.first()))

    assert recipients() == sorted(r.email for r in reviewers)
    message = mail.outbox[0]
    assert award.organisation.name in message.subject
    path = reverse("monitoring:return", kwargs={"return_id": item.pk})
    assert f"https://thrive.example.gov.uk{path}" in message.body
    assert award.council.name in message.body


def test_a_repeated_submit_sends_nothing_more(django_capture_on_commit_callbacks) -> None:
    award, plan = award_with_plan(amount_pence=30_000_00)
    _officer(award.council, plan.lead_directorate)
    item = _submit(django_capture_on_commit_callbacks, fill(plan.returns.first()))
    _submit(django_capture_on_commit_callbacks, item)
    assert mail.outbox == []


def test_reviewers_who_chose_a_daily_summary_or_no_emails_are_not_emailed_now(
    django_capture_on_commit_callbacks,
) -> None:
    award, plan = award_with_plan(amount_pence=30_000_00)
    _officer(award.council, plan.lead_directorate, todo_emails=TodoEmails.DAILY)
    _officer(award.council, plan.lead_directorate, todo_emails=TodoEmails.NONE)
    each = _officer(award.council, plan.lead_directorate)

    _submit(django_capture_on_commit_callbacks, fill(plan.returns.first()))

    assert [m.to for m in mail.outbox] == [[each.email]]


def test_the_database_is_asked_the_same_questions_however_many_reviewers() -> None:
    award, plan = award_with_plan(amount_pence=30_000_00)
    item = services.submit_return(monitoring_return=fill(plan.returns.first()), actor=None)

    _officer(award.council, plan.lead_directorate)
    few = queries_to_run(tasks.send_return_submitted, item.pk)
    for _ in range(4):
        _officer(award.council, plan.lead_directorate)
    many = queries_to_run(tasks.send_return_submitted, item.pk)
    assert len(mail.outbox) == 5
    assert many == few

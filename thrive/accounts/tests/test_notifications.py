"""Emails about to-do items: each person's choice, and the daily summary."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from thrive.accounts.models import DigestSent, Role, TodoEmails
from thrive.accounts.services import notifications
from thrive.accounts.tests.factories import CouncilFactory, UserFactory, staff_with_role
from thrive.assessment.tests.factories import WinnerFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 7)


def _digest(day: date = DAY) -> str:
    out = StringIO()
    call_command("send-digests", f"--today={day.isoformat()}", stdout=out, stderr=StringIO())
    return out.getvalue()


def _approver_with_a_decision_waiting(choice: str = TodoEmails.DAILY):
    """A finance officer with one recommendation waiting for their approval."""
    decision = WinnerFactory(amount_pence=1_000_000).decision
    finance = staff_with_role(
        Role.FINANCE_OFFICER, council=decision.opportunity.council, todo_emails=choice
    )
    return finance, decision


def test_everyone_hears_of_each_new_item_until_they_choose_otherwise() -> None:
    assert UserFactory().todo_emails == TodoEmails.EACH


def test_the_account_page_offers_the_three_choices_with_the_current_one_checked(client) -> None:
    user = UserFactory(todo_emails=TodoEmails.DAILY)
    client.force_login(user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Email me each new item as it arrives" in page
    assert "No emails about to-do items" in page
    assert 'type="radio" value="daily" checked' in page
    assert 'type="radio" value="each" checked' not in page


def test_the_account_page_saves_the_choice(client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:account"), {"todo_emails": TodoEmails.NONE})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.todo_emails == TodoEmails.NONE


def test_an_unknown_choice_is_refused_with_an_error_linked_to_the_first_radio(client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:account"), {"todo_emails": "weekly"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert 'href="#id_todo_emails_0">Select how you want to hear about new to-do items' in page
    assert 'id="id_todo_emails_0"' in page
    user.refresh_from_db()
    assert user.todo_emails == TodoEmails.EACH


def test_a_new_item_is_emailed_only_to_those_who_want_each_one_one_message_each() -> None:
    wanting = [UserFactory(), UserFactory()]
    UserFactory(todo_emails=TodoEmails.DAILY)
    UserFactory(todo_emails=TodoEmails.NONE)
    UserFactory(is_active=False)
    everyone = list(type(wanting[0]).objects.all())
    sent = notifications.email_new_item(
        users=everyone,
        template="todo_digest",
        context={"day": DAY, "items": [], "tasks_link": "", "account_link": ""},
        council=None,
    )
    assert sent == 2
    assert sorted(m.to for m in mail.outbox) == sorted([u.email] for u in wanting)


def test_a_new_item_email_is_signed_by_the_council_whose_record_it_is() -> None:
    council = CouncilFactory(
        name="Eastvale Borough Council", slug="eastvale", contact_email="grants@eastvale.example"
    )
    notifications.email_new_item(
        users=[UserFactory()],
        template="todo_digest",
        context={"day": DAY, "items": [], "tasks_link": "", "account_link": ""},
        council=council,
    )
    [message] = mail.outbox
    assert "Eastvale Borough Council" in message.body
    assert "grants@eastvale.example" in message.body


def test_the_daily_summary_lists_what_waits_with_links_and_is_sent_once_a_day(settings) -> None:
    settings.THRIVE_SITE_URL = "https://thrive.example.gov.uk"
    finance, decision = _approver_with_a_decision_waiting()

    output = _digest()

    assert "Sent 1 daily summary" in output
    [message] = mail.outbox
    assert message.to == [finance.email]
    assert "1 item" in message.subject
    link = "https://thrive.example.gov.uk" + reverse("assessment:decision", args=[decision.pk])
    assert link in message.body
    assert decision.opportunity.title in message.body
    assert decision.opportunity.council.name in message.body
    assert DigestSent.objects.get(user=finance).day == DAY

    again = _digest()

    assert "Sent 0 daily summaries; 1 already sent that day" in again
    assert len(mail.outbox) == 1


def test_the_next_day_brings_the_next_summary() -> None:
    _approver_with_a_decision_waiting()
    _digest(DAY)
    _digest(date(2026, 12, 8))
    assert len(mail.outbox) == 2


def test_nobody_gets_a_summary_when_nothing_is_waiting() -> None:
    staff_with_role(Role.FINANCE_OFFICER, todo_emails=TodoEmails.DAILY)
    output = _digest()
    assert "1 with nothing waiting" in output
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


@pytest.mark.parametrize("choice", [TodoEmails.EACH, TodoEmails.NONE])
def test_only_those_who_chose_a_daily_summary_get_one(choice: str) -> None:
    _approver_with_a_decision_waiting(choice)
    _digest()
    assert mail.outbox == []


def test_one_summary_asks_the_database_a_bounded_number_of_questions(
    django_assert_max_num_queries,
) -> None:
    finance, _decision = _approver_with_a_decision_waiting()
    with django_assert_max_num_queries(15):
        assert notifications.send_digest(user=finance, day=DAY) == "sent"

"""Opportunity pages: the public list with search and filters, detail, feed, calendar,
documents, questions and alerts, and the commissioner's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.opportunities.feeds import _fold, deadlines_calendar
from thrive.opportunities.models import (
    AlertPreference,
    Clarification,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from thrive.opportunities.tests.factories import (
    ClarificationFactory,
    CriterionFactory,
    OpportunityFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_list_shows_open_opportunities_only(django_assert_max_num_queries) -> None:
    shown = [OpportunityFactory() for _ in range(5)]
    OpportunityFactory(status=OpportunityStatus.DRAFT, title="Secret draft")
    OpportunityFactory(
        title="Long closed",
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=1),
    )
    with django_assert_max_num_queries(12):
        response = Client().get("/opportunities/")
    text = response.content.decode()
    for item in shown:
        assert item.title in text
    assert "Secret draft" not in text
    assert "Long closed" not in text


def test_search_and_filters() -> None:
    grant = OpportunityFactory(title="Befriending fund")
    tender = TenderFactory(title="Advocacy service", value_pence=90_000_000)
    client = Client()
    assert tender.title not in client.get("/opportunities/", {"q": "befriend"}).content.decode()
    by_kind = client.get("/opportunities/", {"kind": OpportunityKind.TENDER}).content.decode()
    assert tender.title in by_kind and grant.title not in by_kind
    by_value = client.get("/opportunities/", {"min_value": "100,000"}).content.decode()
    assert tender.title in by_value and grant.title not in by_value
    soon = (timezone.localdate() + timedelta(days=40)).strftime("%d/%m/%Y")
    assert grant.title in client.get("/opportunities/", {"closes_before": soon}).content.decode()


def test_a_bad_filter_shows_the_error_summary() -> None:
    text = Client().get("/opportunities/", {"closes_before": "31/31/2026"}).content.decode()
    assert "There is a problem" in text
    assert "Closing date must be a real date" in text


def test_detail_shows_criteria_weights_timeline_process_and_answers() -> None:
    tender = TenderFactory(process="Sealed bids, then a panel.")
    tender.criteria.create(title="Quality", weight=60)
    tender.criteria.create(title="Price", weight=40)
    ClarificationFactory(
        opportunity=tender,
        question="From Acme Trust: is TUPE relevant?",
        published_question="Is TUPE relevant?",
        answer="No.",
        published_at=timezone.now(),
    )
    ClarificationFactory(opportunity=tender, question="Unanswered question")
    text = Client().get(f"/opportunities/{tender.pk}/").content.decode()
    assert "60%" in text and "40%" in text
    assert "Sealed bids, then a panel." in text
    assert "Is TUPE relevant?" in text
    assert "Acme Trust" not in text
    assert "Unanswered question" not in text
    assert tender.closes_display in text


def test_a_draft_is_not_found_by_the_public_but_seen_by_its_council() -> None:
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT)
    assert Client().get(f"/opportunities/{draft.pk}/").status_code == 404
    staff = staff_with_role("strategy_group", council=draft.council)
    assert _client(staff).get(f"/opportunities/{draft.pk}/").status_code == 200


def test_atom_feed_lists_open_opportunities() -> None:
    item = OpportunityFactory(title="Youth engagement fund")
    response = Client().get("/opportunities/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "<feed" in text and "Youth engagement fund" in text
    assert f"/opportunities/{item.pk}/" in text


def test_ical_has_one_event_per_deadline_in_rfc5545_form() -> None:
    item = OpportunityFactory(
        title="Grants, round; two",
        clarification_deadline=timezone.now() + timedelta(days=3),
    )
    response = Client().get("/opportunities/deadlines.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert f"UID:closes-{item.reference}@" in text
    assert "SUMMARY:Closes: Grants\\, round\\; two" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_long_ical_lines_fold_at_75_octets() -> None:
    folded = _fold("DESCRIPTION:" + "é" * 100)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100


def test_calendar_skips_rolling_schemes() -> None:
    rolling = OpportunityFactory(closes_at=None)
    assert rolling.reference not in deadlines_calendar([rolling])


def test_a_member_asks_a_question() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    response = _client(member.user).post(
        f"/opportunities/{opportunity.pk}/questions/ask/",
        {"organisation": member.organisation.pk, "question": "Is room hire eligible?"},
    )
    assert response.status_code == 302
    assert Clarification.objects.get().organisation == member.organisation


def test_an_empty_question_is_refused_with_govuk_wording() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    text = (
        _client(member.user)
        .post(
            f"/opportunities/{opportunity.pk}/questions/ask/",
            {"organisation": member.organisation.pk, "question": ""},
        )
        .content.decode()
    )
    assert "Enter your question" in text


def test_alert_choices_are_saved_for_the_organisation() -> None:
    member = MembershipFactory()
    response = _client(member.user).post(
        "/opportunities/alerts/",
        {
            "organisation": member.organisation.pk,
            "is_active": "on",
            "kinds": [OpportunityKind.SMALL_GRANTS],
        },
    )
    assert response.status_code == 302
    preference = AlertPreference.objects.get(organisation=member.organisation)
    assert preference.kinds == [OpportunityKind.SMALL_GRANTS]


def test_a_commissioner_creates_and_publishes_an_opportunity() -> None:
    base = OpportunityFactory()
    commissioner = staff_with_role("commissioner", council=base.council)
    commissioner.role_assignments.update(directorate=base.directorate)
    client = _client(commissioner)
    page = client.get("/opportunities/manage/new/")
    template = page.context["form"].fields["form_template"].queryset.get(code="small-grant")
    closes = timezone.localdate() + timedelta(days=20)
    response = client.post(
        "/opportunities/manage/new/",
        {
            "title": "Village halls fund",
            "summary": "Small grants for village halls",
            "process": "One officer decides within four weeks.",
            "kind": OpportunityKind.SMALL_GRANTS,
            "directorate": base.directorate.pk,
            "form_template": template.pk,
            "value_pence": "20,000",
            "opens_at_date": timezone.localdate().strftime("%d/%m/%Y"),
            "opens_at_time": "00:00",
            "closes_at_date": closes.strftime("%d/%m/%Y"),
            "closes_at_time": "17:00",
        },
    )
    assert response.status_code == 302, response.content.decode()
    made = Opportunity.objects.get(title="Village halls fund")
    assert made.value_pence == 2_000_000
    assert made.closes_at.astimezone(timezone.get_current_timezone()).hour == 17
    client.post(f"/opportunities/manage/{made.pk}/publish/")
    made.refresh_from_db()
    assert made.status == OpportunityStatus.PUBLISHED


def test_a_time_without_a_date_is_an_error() -> None:
    base = OpportunityFactory()
    commissioner = staff_with_role("commissioner", council=base.council)
    commissioner.role_assignments.update(directorate=base.directorate)
    text = (
        _client(commissioner)
        .post(
            "/opportunities/manage/new/",
            {
                "title": "T",
                "summary": "S",
                "kind": OpportunityKind.GRANT_ROUND,
                "directorate": base.directorate.pk,
                "closes_at_time": "17:00",
            },
        )
        .content.decode()
    )
    assert "Enter the closing date" in text


def test_staff_list_is_pinned_in_queries(django_assert_max_num_queries) -> None:
    items = [OpportunityFactory() for _ in range(5)]
    staff = staff_with_role("strategy_group", council=items[0].council)
    client = _client(staff)
    with django_assert_max_num_queries(10):
        response = client.get("/opportunities/manage/")
    assert response.context["page"].paginator.count == 5


def test_the_create_form_starts_from_a_decided_intention() -> None:
    from thrive.opportunities.tests.test_services import _decided_intention

    base, intention = _decided_intention("grant_round")
    commissioner = staff_with_role("commissioner", council=base.council)
    commissioner.role_assignments.update(directorate=base.directorate)
    response = _client(commissioner).get(f"/opportunities/manage/new/?intention={intention.pk}")
    form = response.context["form"]
    assert form.initial["title"] == intention.title
    assert form.initial["kind"] == OpportunityKind.GRANT_ROUND
    assert intention.reference in response.content.decode()


def test_a_commissioner_removes_a_draft_criterion_after_confirming() -> None:
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT)
    criterion = CriterionFactory(opportunity=draft, title="Mistaken", weight=40)
    commissioner = staff_with_role("commissioner", council=draft.council)
    commissioner.role_assignments.update(directorate=draft.directorate)
    client = _client(commissioner)
    url = f"/opportunities/manage/{draft.pk}/criteria/{criterion.pk}/remove/"
    assert url in client.get(f"/opportunities/manage/{draft.pk}/").text
    confirm = client.get(url)
    assert "Remove the criterion “Mistaken”" in confirm.text
    assert draft.criteria.exists()
    assert client.post(url).status_code == 302
    assert not draft.criteria.exists()
    assert client.get(url).status_code == 404

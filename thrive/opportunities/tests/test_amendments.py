"""Published terms change only by amendment: deadlines only later (never earlier, never into the
past), a reason every time, audited, published on the page, in the API and the feed, and emailed
to every organisation with a draft or submitted application. Lots and criteria stay as
published. The edit page accepts back exactly what it shows."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.models import ApplicationStatus
from thrive.applications.services import sealed
from thrive.applications.tests.factories import ApplicationFactory, SubmittedApplicationFactory
from thrive.audit.models import AuditEvent
from thrive.core.dates import format_deadline
from thrive.opportunities import amendments, services
from thrive.opportunities.models import Amendment, OpportunityStatus
from thrive.opportunities.tests.factories import (
    CriterionFactory,
    LotFactory,
    OpportunityFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """The values a browser would send back from the page's main form, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self._in_form = True
        if self._in_form and tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value") or "")
        if not self._in_form or "name" not in a:
            return
        if tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio"):
            if "checked" in a:
                self._add(a["name"], a.get("value", "on"))
        elif tag == "input":
            self._add(a["name"], a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data


def _form_values(html: str) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(html)
    return parser.data


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published(settings):
    """A published tender with a draft bid and a submitted bid, and its procurement officer."""
    now = timezone.now()
    tender = TenderFactory(
        opens_at=now - timedelta(days=10),
        clarification_deadline=now + timedelta(days=5),
        closes_at=now + timedelta(days=10),
        decision_expected=date(2027, 2, 15),
        description="Support for unpaid carers.",
    )
    CriterionFactory(opportunity=tender, weight=100)
    drafter = MembershipFactory(user__email="drafts@example.org").user
    ApplicationFactory(opportunity=tender, organisation=drafter.memberships.get().organisation)
    submitter = MembershipFactory(user__email="bids@example.org").user
    SubmittedApplicationFactory(
        opportunity=tender, organisation=submitter.memberships.get().organisation
    )
    withdrawn = MembershipFactory(user__email="gone@example.org").user
    ApplicationFactory(
        opportunity=tender,
        organisation=withdrawn.memberships.get().organisation,
        status=ApplicationStatus.WITHDRAWN,
    )
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=tender.council)
    return {"tender": tender, "officer": officer}


def _edit_url(tender) -> str:
    return f"/opportunities/manage/{tender.pk}/edit/"


def _posted_back(client: Client, tender, **changes: str) -> tuple[dict, object]:
    data = _form_values(client.get(_edit_url(tender)).content.decode())
    data.update({name: [value] for name, value in changes.items()})
    return data, client.post(_edit_url(tender), data)


def _local(moment) -> tuple[str, str]:
    local = timezone.localtime(moment)
    return f"{local:%d/%m/%Y}", f"{local:%H:%M}"


def _nothing_recorded(tender) -> None:
    assert not Amendment.objects.filter(opportunity=tender).exists()
    assert not AuditEvent.objects.filter(action="opportunities.opportunity.amended").exists()


# --- F2: deadlines only later -----------------------------------------------------------------


def test_an_earlier_closing_date_is_refused_with_the_current_one_and_nothing_changes(
    published,
) -> None:
    tender = published["tender"]
    before = tender.closes_at
    day, clock = _local(before - timedelta(days=2))
    client = _client(published["officer"])
    _, response = _posted_back(
        client, tender, closes_at_date=day, closes_at_time=clock, reason="Quicker decision"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    expected = f"The new closing date must be later than the current one, {format_deadline(before)}"
    assert expected in text
    tender.refresh_from_db()
    assert tender.closes_at == before
    _nothing_recorded(tender)


def test_a_closing_date_in_the_past_is_refused_so_bids_cannot_be_opened_at_once(published) -> None:
    tender = published["tender"]
    before = tender.closes_at
    day, clock = _local(timezone.now() - timedelta(hours=1))
    client = _client(published["officer"])
    _, response = _posted_back(
        client, tender, closes_at_date=day, closes_at_time=clock, reason="Close now"
    )
    assert "The new closing date must be later than the current one" in response.content.decode()
    tender.refresh_from_db()
    assert tender.closes_at == before
    with pytest.raises(ValidationError, match="cannot be opened before the deadline"):
        sealed.open_sealed_bids(opportunity=tender, actor=published["officer"])
    _nothing_recorded(tender)


def test_an_earlier_deadline_for_questions_is_refused(published) -> None:
    tender = published["tender"]
    before = tender.clarification_deadline
    with pytest.raises(ValidationError) as refused:
        amendments.amend_opportunity(
            opportunity=tender,
            actor=published["officer"],
            clarification_deadline=before - timedelta(days=1),
            reason="Fewer questions",
        )
    assert refused.value.message_dict["clarification_deadline"] == [
        "The new deadline for questions cannot be earlier than the current one, "
        f"{format_deadline(before)}"
    ]
    tender.refresh_from_db()
    assert tender.clarification_deadline == before
    _nothing_recorded(tender)


def test_a_term_changes_only_with_a_reason(published) -> None:
    tender = published["tender"]
    before = tender.closes_at
    day, clock = _local(before + timedelta(days=7))
    _, response = _posted_back(
        _client(published["officer"]), tender, closes_at_date=day, closes_at_time=clock
    )
    assert "Enter the reason for the amendment" in response.content.decode()
    tender.refresh_from_db()
    assert tender.closes_at == before
    _nothing_recorded(tender)


def test_terms_cannot_be_amended_after_the_closing_time(published) -> None:
    tender = published["tender"]
    closed = timezone.now() + timedelta(days=11)
    with pytest.raises(ValidationError, match="its terms can no longer be amended"):
        amendments.amend_opportunity(
            opportunity=tender,
            actor=published["officer"],
            closes_at=closed + timedelta(days=7),
            reason="Reopen",
            now=closed,
        )
    _nothing_recorded(tender)


def test_an_extension_is_published_audited_and_emailed_to_draft_and_bid_holders(
    published, django_capture_on_commit_callbacks
) -> None:
    tender = published["tender"]
    before = tender.closes_at
    later = (before + timedelta(days=7)).replace(second=0, microsecond=0)
    day, clock = _local(later)
    reason = "Time to read the new guidance on carers' breaks"
    with django_capture_on_commit_callbacks(execute=True):
        _, response = _posted_back(
            _client(published["officer"]),
            tender,
            closes_at_date=day,
            closes_at_time=clock,
            reason=reason,
        )
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.closes_at == later
    amendment = Amendment.objects.get(opportunity=tender)
    assert amendment.number == 1
    assert amendment.made_by == published["officer"]
    assert amendment.changes == {
        "closes_at": {
            "label": "Closing",
            "before": format_deadline(before),
            "after": format_deadline(later),
        }
    }
    event = AuditEvent.objects.get(action="opportunities.opportunity.amended")
    assert event.reason == reason
    assert event.actor_id == published["officer"].pk
    assert sorted(m.to[0] for m in mail.outbox) == ["bids@example.org", "drafts@example.org"]
    message = mail.outbox[0]
    assert tender.reference in message.subject
    assert reason in message.body
    assert format_deadline(later) in message.body
    assert tender.council.name in message.body


def test_the_amendment_is_on_the_public_page_in_the_api_and_in_the_feed(published) -> None:
    tender = published["tender"]
    reason = "More time for smaller groups to form consortia"
    amendments.amend_opportunity(
        opportunity=tender,
        actor=published["officer"],
        closes_at=tender.closes_at + timedelta(days=14),
        reason=reason,
    )
    page = Client().get(f"/opportunities/{tender.pk}/").content.decode()
    assert "Amendments" in page
    assert reason in page
    assert f"Amendment 1, {timezone.localdate():%-d %B %Y}" in page
    api = Client().get(f"/api/v1/opportunities/{tender.pk}").json()
    assert api["amendments"][0]["reason"] == reason
    assert api["amendments"][0]["changes"][0]["field"] == "closes_at"
    listing = Client().get("/api/v1/opportunities").json()["results"]
    assert [o["amendments"][0]["number"] for o in listing if o["id"] == tender.pk] == [1]
    feed = Client().get("/opportunities/feed/").content.decode()
    assert reason in feed
    assert "Amendment 1" in feed


def test_the_openapi_document_describes_amendments() -> None:
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]
    assert "amendments" in schema["OpportunityOut"]["properties"]
    assert set(schema["AmendmentOut"]["properties"]) == {"number", "made_at", "reason", "changes"}


def test_a_typing_correction_needs_no_amendment_but_is_audited(published) -> None:
    tender = published["tender"]
    _, response = _posted_back(
        _client(published["officer"]), tender, summary="Support for carers (corrected)."
    )
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.summary == "Support for carers (corrected)."
    assert not Amendment.objects.exists()
    assert AuditEvent.objects.filter(action="opportunities.opportunity.corrected").count() == 1
    assert mail.outbox == []


# --- F3: the page accepts back what it shows -------------------------------------------------


def test_the_amendment_page_saved_unchanged_succeeds_and_changes_nothing(published) -> None:
    tender = published["tender"]
    client = _client(published["officer"])
    page = client.get(_edit_url(tender)).content.decode()
    assert 'value="15/2/2027"' in page
    assert "Amend the opportunity" in page
    _, response = _posted_back(client, tender)
    assert response.status_code == 302, response.content.decode()
    updated = type(tender).objects.get(pk=tender.pk)
    for name in ("closes_at", "clarification_deadline", "decision_expected", "value_pence"):
        assert getattr(updated, name) == getattr(tender, name)
    assert not AuditEvent.objects.filter(
        action__in=["opportunities.opportunity.amended", "opportunities.opportunity.corrected"]
    ).exists()


def test_text_sent_back_with_a_browsers_line_endings_is_not_an_amendment(published) -> None:
    tender = published["tender"]
    type(tender).objects.filter(pk=tender.pk).update(process="Apply online.\nWe decide.")
    _, response = _posted_back(
        _client(published["officer"]), tender, process="Apply online.\r\nWe decide."
    )
    assert response.status_code == 302, response.content.decode()
    tender.refresh_from_db()
    assert tender.process == "Apply online.\nWe decide."
    _nothing_recorded(tender)


def test_the_draft_edit_page_saved_unchanged_keeps_its_decision_date() -> None:
    draft = TenderFactory(status=OpportunityStatus.DRAFT, decision_expected=date(2027, 2, 15))
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=draft.council)
    client = _client(officer)
    _, response = _posted_back(client, draft)
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert draft.decision_expected == date(2027, 2, 15)


# --- frozen once published ------------------------------------------------------------------


def test_lots_and_criteria_are_frozen_once_a_draft_application_is_started() -> None:
    tender = TenderFactory()
    LotFactory(opportunity=tender, number=1)
    ApplicationFactory(opportunity=tender)
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=tender.council)
    with pytest.raises(ValidationError, match="Lots cannot change"):
        services.add_lot(opportunity=tender, actor=officer, title="Lot 2", value_pence=100)
    with pytest.raises(ValidationError, match="Criteria cannot change"):
        services.add_criterion(opportunity=tender, actor=officer, title="Price", weight=10)
    response = _client(officer).post(
        f"/opportunities/manage/{tender.pk}/lots/add/", {"title": "Lot 2", "value_pence": "100"}
    )
    assert response.status_code == 200
    assert "Lots cannot change once the opportunity is published" in response.content.decode()
    assert tender.lots.count() == 1
    assert tender.criteria.count() == 0


def test_the_application_form_and_opening_cannot_be_amended() -> None:
    tender = OpportunityFactory()
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=tender.council)
    with pytest.raises(ValidationError) as refused:
        amendments.amend_opportunity(
            opportunity=tender,
            actor=officer,
            opens_at=tender.opens_at + timedelta(hours=1),
            reason="Later start",
        )
    assert "opens_at" in refused.value.message_dict

"""Opportunity services: creating, publishing, criteria, questions, invitations, alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.tests.factories import PDF
from thrive.audit.models import AuditEvent
from thrive.core.dates import format_deadline
from thrive.opportunities import services, tasks
from thrive.opportunities.models import AlertSent, OpportunityKind, OpportunityStatus
from thrive.opportunities.tests.factories import (
    AlertPreferenceFactory,
    ClarificationFactory,
    CriterionFactory,
    OpportunityFactory,
    TenderFactory,
    form_template_for,
)

pytestmark = pytest.mark.django_db


def _commissioner():
    return staff_with_role("commissioner")


def test_create_gives_a_running_reference_and_logs_it() -> None:
    user = _commissioner()
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    made = services.create_opportunity(
        council=draft.council,
        directorate=draft.directorate,
        actor=user,
        now=now,
        title="Youth fund",
        summary="Grants for youth clubs",
        kind=OpportunityKind.GRANT_ROUND,
        closes_at=now + timedelta(days=30),
    )
    assert made.reference.startswith("OPP-2026-")
    assert made.status == OpportunityStatus.DRAFT
    assert AuditEvent.objects.filter(action="opportunities.opportunity.created").exists()


def test_a_round_needs_a_closing_time_but_a_rolling_scheme_does_not() -> None:
    user = _commissioner()
    base = OpportunityFactory()
    with pytest.raises(ValidationError, match="Enter the closing date and time"):
        services.create_opportunity(
            council=base.council,
            directorate=base.directorate,
            actor=user,
            title="Round",
            summary="s",
            kind=OpportunityKind.GRANT_ROUND,
        )
    rolling = services.create_opportunity(
        council=base.council,
        directorate=base.directorate,
        actor=user,
        title="Rolling",
        summary="s",
        kind=OpportunityKind.SMALL_GRANTS,
    )
    assert rolling.is_rolling


def test_questions_must_close_before_the_opportunity() -> None:
    opportunity = OpportunityFactory(status=OpportunityStatus.DRAFT)
    with pytest.raises(ValidationError, match="clarification deadline must be before"):
        services.update_opportunity(
            opportunity=opportunity,
            actor=_commissioner(),
            clarification_deadline=opportunity.closes_at,
        )


def test_publication_lists_every_problem_in_plain_words() -> None:
    draft = TenderFactory(status=OpportunityStatus.DRAFT, process="", form_template=None)
    CriterionFactory(opportunity=draft, weight=60)
    problems = services.publication_problems(opportunity=draft, now=timezone.now())
    assert problems == [
        "Choose the application form",
        "Describe the process and its timescales",
        "The criteria weights must add up to 100% (they add up to 60%)",
    ]
    with pytest.raises(ValidationError):
        services.publish_opportunity(opportunity=draft, actor=_commissioner())


def test_criteria_weights_cannot_pass_100() -> None:
    draft = TenderFactory(status=OpportunityStatus.DRAFT)
    CriterionFactory(opportunity=draft, weight=70)
    with pytest.raises(ValidationError, match="would add up to 110%"):
        services.add_criterion(opportunity=draft, actor=_commissioner(), title="Price", weight=40)


def test_a_draft_criterion_can_be_removed_to_make_room_but_a_published_one_cannot() -> None:
    draft = TenderFactory(status=OpportunityStatus.DRAFT)
    wrong = CriterionFactory(opportunity=draft, weight=70, title="Wrong", order=1)
    kept = CriterionFactory(opportunity=draft, weight=30, title="Kept", order=2)
    services.remove_criterion(criterion=wrong, actor=_commissioner())
    services.add_criterion(opportunity=draft, actor=_commissioner(), title="Price", weight=70)
    assert [(c.title, c.order) for c in draft.criteria.order_by("order")] == [
        ("Kept", 1),
        ("Price", 2),
    ]
    event = AuditEvent.objects.get(action="opportunities.criterion.removed")
    assert event.before["title"] == "Wrong"
    published = TenderFactory()
    shown = CriterionFactory(opportunity=published, weight=100)
    with pytest.raises(ValidationError, match="once the opportunity is published"):
        services.remove_criterion(criterion=shown, actor=_commissioner())
    assert published.criteria.get() == shown
    assert kept.pk in set(draft.criteria.values_list("pk", flat=True))


def test_publishing_sends_alerts_to_matching_organisations_once(
    django_capture_on_commit_callbacks,
) -> None:
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT, kind=OpportunityKind.SMALL_GRANTS)
    wants_grants = AlertPreferenceFactory(kinds=[OpportunityKind.SMALL_GRANTS])
    MembershipFactory(organisation=wants_grants.organisation)
    wants_tenders = AlertPreferenceFactory(kinds=[OpportunityKind.TENDER])
    MembershipFactory(organisation=wants_tenders.organisation)
    stopped = AlertPreferenceFactory(is_active=False)
    MembershipFactory(organisation=stopped.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_opportunity(opportunity=draft, actor=_commissioner())
    assert len(mail.outbox) == 1
    assert draft.title in mail.outbox[0].subject
    assert tasks.send_opportunity_alerts.call(draft.pk) == 0
    assert AlertSent.objects.count() == 1


def test_alerts_match_outcomes_and_areas(django_capture_on_commit_callbacks) -> None:
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT)
    outcome = draft.council.outcomes.create(code="PO9", kind="priority", title="Young people")
    other = draft.council.outcomes.create(code="PO8", kind="priority", title="Greener")
    draft.outcomes.set([outcome])
    match = AlertPreferenceFactory()
    match.outcomes.set([outcome])
    MembershipFactory(organisation=match.organisation)
    miss = AlertPreferenceFactory()
    miss.outcomes.set([other])
    MembershipFactory(organisation=miss.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_opportunity(opportunity=draft, actor=_commissioner())
    assert [m.to for m in mail.outbox] == [[match.organisation.memberships.get().user.email]]


def test_a_question_after_the_clarification_deadline_is_refused_with_the_deadline() -> None:
    opportunity = OpportunityFactory(clarification_deadline=timezone.now() + timedelta(days=1))
    member = MembershipFactory()
    late = opportunity.clarification_deadline
    with pytest.raises(ValidationError) as caught:
        services.ask_clarification(
            opportunity=opportunity,
            organisation=member.organisation,
            actor=member.user,
            question="Can we apply?",
            now=late,
        )
    assert format_deadline(late) in caught.value.messages[0]


def test_answers_are_published_anonymously_and_interested_organisations_told(
    django_capture_on_commit_callbacks,
) -> None:
    question = ClarificationFactory()
    asker = MembershipFactory(organisation=question.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_clarification(
            clarification=question,
            actor=_commissioner(),
            answer="Yes, room hire is eligible.",
            published_question="Can a new group apply for room hire?",
        )
    question.refresh_from_db()
    assert question.published_at is not None
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "room hire is eligible" in body
    assert question.organisation.name not in body
    assert asker.user.email in mail.outbox[0].to
    with pytest.raises(ValidationError, match="already been answered"):
        services.answer_clarification(clarification=question, actor=_commissioner(), answer="x")


def test_invitations_to_quote_are_recorded_and_emailed(django_capture_on_commit_callbacks) -> None:
    tender = TenderFactory(kind=OpportunityKind.RFQ, form_template=form_template_for("rfq"))
    member = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_to_quote(
            opportunity=tender, organisation=member.organisation, actor=_commissioner()
        )
    assert AuditEvent.objects.filter(action="opportunities.invitation.sent").exists()
    assert mail.outbox[0].to == [member.user.email]
    with pytest.raises(ValidationError, match="already been invited"):
        services.invite_to_quote(
            opportunity=tender, organisation=member.organisation, actor=_commissioner()
        )
    assert invitation.opportunity == tender


def test_documents_are_checked_by_content(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    opportunity = OpportunityFactory()
    document = services.add_document(
        opportunity=opportunity,
        actor=_commissioner(),
        title="Specification",
        upload=SimpleUploadedFile("spec.pdf", PDF),
    )
    assert document.content_type == "application/pdf"
    with pytest.raises(ValidationError, match="must be a PDF"):
        services.add_document(
            opportunity=opportunity,
            actor=_commissioner(),
            title="Bad",
            upload=SimpleUploadedFile("spec.pdf", b"<html>"),
        )


def test_cancelling_needs_a_reason() -> None:
    opportunity = OpportunityFactory()
    with pytest.raises(ValidationError, match="Enter why"):
        services.cancel_opportunity(opportunity=opportunity, actor=_commissioner(), reason=" ")
    services.cancel_opportunity(opportunity=opportunity, actor=_commissioner(), reason="Budget")
    assert opportunity.status == OpportunityStatus.CANCELLED


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 4, 17, 0, tzinfo=UTC), "5:00pm on Friday 4 December 2026 (UK time)"),
        (datetime(2026, 7, 3, 11, 0, tzinfo=UTC), "midday on Friday 3 July 2026 (UK time)"),
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "12:30am on Sunday 29 March 2026 (UK time)"),
    ],
)
def test_deadlines_read_in_uk_time(moment, expected) -> None:
    assert format_deadline(moment) == expected


def _decided_intention(route: str = "rfq", status: str = "approved"):
    from thrive.commissioning.models import MethodDecision
    from thrive.commissioning.tests.factories import IntentionFactory

    base = OpportunityFactory()
    intention = IntentionFactory(
        council=base.council, directorate=base.directorate, status=status, budget_pence=4_000_000
    )
    MethodDecision.objects.create(
        intention=intention,
        service_type="social",
        recommended_method="contract" if route != "grant_round" else "funding_agreement",
        recommended_route=route,
        recommended_regime="procurement_act",
        method="contract" if route != "grant_round" else "funding_agreement",
        route=route,
        regime="procurement_act",
        confirmed_at=timezone.now(),
        agreed_at=timezone.now(),
    )
    return base, intention


def test_an_opportunity_carries_out_a_decided_intention() -> None:
    from thrive.opportunities.intentions import decided_intentions, defaults_from

    base, intention = _decided_intention("rfq")
    assert list(decided_intentions(council=base.council)) == [intention]
    defaults = defaults_from(intention)
    assert defaults["kind"] == OpportunityKind.RFQ
    assert defaults["value_pence"] == 4_000_000
    made = services.create_opportunity(
        council=base.council,
        directorate=base.directorate,
        actor=_commissioner(),
        intention=intention,
        title=intention.title,
        summary=intention.summary,
        kind=OpportunityKind.RFQ,
        closes_at=timezone.now() + timedelta(days=20),
    )
    assert made.intention == intention


def test_the_kind_must_follow_the_intentions_decided_route() -> None:
    base, intention = _decided_intention("rfq")
    with pytest.raises(ValidationError, match="calls for request for quotations"):
        services.create_opportunity(
            council=base.council,
            directorate=base.directorate,
            actor=_commissioner(),
            intention=intention,
            title="T",
            summary="S",
            kind=OpportunityKind.TENDER,
            closes_at=timezone.now() + timedelta(days=20),
        )


def test_an_undecided_intention_cannot_be_advertised() -> None:
    from thrive.opportunities.intentions import decided_intentions, kind_for

    base, intention = _decided_intention("rfq", status="draft")
    assert list(decided_intentions(council=base.council)) == []
    with pytest.raises(ValidationError, match="has not been approved yet"):
        kind_for(intention)

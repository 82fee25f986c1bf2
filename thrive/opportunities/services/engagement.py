"""Talking with organisations about an opportunity: invitations to quote, clarification
questions and answers, and alert choices (§4.1)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.dates import format_deadline
from thrive.core.tasks import enqueue_with_transaction
from thrive.opportunities import tasks
from thrive.opportunities.models import (
    AlertPreference,
    Clarification,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    QuoteInvitation,
)

if TYPE_CHECKING:
    from thrive.accounts.models import User
    from thrive.core.models import Area
    from thrive.organisations.models import Organisation
    from thrive.strategy.models import Outcome


def invite_to_quote(
    *, opportunity: Opportunity, organisation: Organisation, actor: User, note: str = ""
) -> QuoteInvitation:
    """Invite a named organisation to quote or apply (§4.1); it sees what everyone sees."""
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise ValidationError("Publish the opportunity before inviting organisations")
    if opportunity.has_closed():
        raise ValidationError("The opportunity has closed")
    if opportunity.invitations.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name} has already been invited"})
    with transaction.atomic():
        invitation = QuoteInvitation.objects.create(
            opportunity=opportunity, organisation=organisation, note=note, invited_by=actor
        )
        log_action(
            action="opportunities.invitation.sent",
            actor=actor,
            obj=invitation,
            after={"opportunity": opportunity.reference, "organisation": organisation.pk},
            reason=note,
            council=opportunity.council,
        )
        enqueue_with_transaction(tasks.send_quote_invitation, invitation.pk)
    return invitation


def ask_clarification(
    *,
    opportunity: Opportunity,
    organisation: Organisation,
    actor: User,
    question: str,
    now: datetime | None = None,
) -> Clarification:
    """Record an applicant's question, until the clarification deadline."""
    now = now or timezone.now()
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": "Enter your question"})
    if len(question) > 2000:
        raise ValidationError({"question": "Your question must be 2,000 characters or fewer"})
    if not opportunity.clarifications_open(now):
        deadline = opportunity.clarification_deadline or opportunity.closes_at
        when = f" The deadline for questions was {format_deadline(deadline)}." if deadline else ""
        raise ValidationError(f"Questions can no longer be asked about this opportunity.{when}")
    with transaction.atomic():
        clarification = Clarification.objects.create(
            opportunity=opportunity, organisation=organisation, asked_by=actor, question=question
        )
        log_action(
            action="opportunities.clarification.asked",
            actor=actor,
            obj=clarification,
            after={"opportunity": opportunity.reference},
            council=opportunity.council,
        )
        enqueue_with_transaction(tasks.send_question_asked, clarification.pk)
    return clarification


def answer_clarification(
    *,
    clarification: Clarification,
    actor: User,
    answer: str,
    published_question: str = "",
    now: datetime | None = None,
) -> Clarification:
    """Publish the answer to everyone, without the asker (§4.1: no preferential treatment)."""
    now = now or timezone.now()
    if not (answer or "").strip():
        raise ValidationError({"answer": "Enter the answer"})
    if clarification.published_at is not None:
        raise ValidationError("This question has already been answered")
    with transaction.atomic():
        clarification.answer = answer.strip()
        clarification.published_question = (
            published_question or ""
        ).strip() or clarification.question
        clarification.answered_by = actor
        clarification.published_at = now
        clarification.save()
        log_action(
            action="opportunities.clarification.answered",
            actor=actor,
            obj=clarification,
            after={
                "published_question": clarification.published_question,
                "answer": clarification.answer,
            },
            council=clarification.opportunity.council,
        )
        enqueue_with_transaction(tasks.notify_clarification, clarification.pk)
    return clarification


def save_alert_preference(
    *,
    organisation: Organisation,
    actor: User,
    is_active: bool,
    kinds: list[str],
    outcomes: list[Outcome],
    areas: list[Area],
) -> AlertPreference:
    """Keep the organisation's alert choices: outcomes, areas and kinds of opportunity."""
    unknown = set(kinds) - set(OpportunityKind.values)
    if unknown:
        raise ValidationError({"kinds": "Select kinds of opportunity from the list"})
    with transaction.atomic():
        preference, _ = AlertPreference.objects.get_or_create(organisation=organisation)
        preference.is_active = is_active
        preference.kinds = sorted(kinds)
        preference.save()
        preference.outcomes.set(outcomes)
        preference.areas.set(areas)
        log_action(
            action="opportunities.alerts.saved",
            actor=actor,
            obj=organisation,
            after={
                "is_active": is_active,
                "kinds": preference.kinds,
                "outcomes": sorted(o.pk for o in outcomes),
                "areas": sorted(a.pk for a in areas),
            },
        )
    return preference

"""Involving the Third Sector: consultations and soft market testing (§1.5, §2.1, glossary)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import Membership, User
from thrive.audit.services import log_action
from thrive.commissioning import tasks
from thrive.commissioning.models import (
    Consultation,
    ConsultationResponse,
    Intention,
    SoftMarketResponse,
    SoftMarketTest,
)
from thrive.commissioning.selectors import settings_for
from thrive.core.tasks import enqueue_with_transaction
from thrive.organisations.models import Organisation
from thrive.strategy.models import Directorate


def _member(user: User, organisation: Organisation) -> None:
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"organisation": "Choose an organisation you belong to"})


def open_consultation(
    *,
    directorate: Directorate,
    title: str,
    description: str,
    opens_on: date,
    actor: User,
    intention: Intention | None = None,
    closes_on: date | None = None,
    short_reason: str = "",
) -> Consultation:
    """Open draft priorities or a draft intention for consultation (twelve weeks by default)."""
    council = directorate.council
    weeks = settings_for(council=council).consultation_weeks
    closes_on = closes_on or opens_on + timedelta(weeks=weeks)
    if closes_on <= opens_on:
        raise ValidationError({"closes_on": "The closing date must be after the opening date"})
    if closes_on < opens_on + timedelta(weeks=weeks) and not short_reason.strip():
        raise ValidationError(
            {
                "short_reason": f"Enter why the consultation is shorter than {weeks} weeks, "
                "as the Compact asks"
            }
        )
    if intention is not None and intention.council_id != council.pk:
        raise ValidationError({"intention": "Choose an intention of this council"})
    consultation = Consultation(
        council=council,
        directorate=directorate,
        intention=intention,
        title=title.strip(),
        description=description.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        short_reason=short_reason.strip(),
        created_by=actor,
    )
    with transaction.atomic():
        consultation.full_clean()
        consultation.save()
        log_action(
            action="commissioning.consultation.opened",
            actor=actor,
            obj=consultation,
            after={
                "opens_on": opens_on,
                "closes_on": closes_on,
                "intention": getattr(intention, "pk", None),
            },
            reason=consultation.short_reason,
            council=council,
        )
    return consultation


def respond_to_consultation(
    *, consultation: Consultation, organisation: Organisation, user: User, body: str
) -> ConsultationResponse:
    """An organisation responds (or changes its response) while the consultation is open."""
    _member(user, organisation)
    today = timezone.localdate()
    if today < consultation.opens_on:
        raise ValidationError(f"This consultation opens on {consultation.opens_on:%-d %B %Y}")
    if consultation.has_closed(today):
        raise ValidationError(f"This consultation closed on {consultation.closes_on:%-d %B %Y}")
    if not body.strip():
        raise ValidationError({"body": "Enter your response"})
    with transaction.atomic():
        response, created = ConsultationResponse.objects.update_or_create(
            consultation=consultation,
            organisation=organisation,
            defaults={"body": body.strip(), "respondent": user, "submitted_at": timezone.now()},
        )
        log_action(
            action="commissioning.consultation.responded"
            if created
            else "commissioning.consultation.response_changed",
            actor=user,
            obj=consultation,
            after={"organisation": organisation.pk},
            council=consultation.council,
        )
    return response


def publish_consultation_summary(
    *, consultation: Consultation, summary: str, you_said_we_did: str, actor: User
) -> Consultation:
    """Publish the summary of responses and "you said, we did" beside the intention."""
    if not consultation.has_closed():
        raise ValidationError(
            "Publish the summary once the consultation has closed on "
            f"{consultation.closes_on:%-d %B %Y}"
        )
    errors = {}
    if not summary.strip():
        errors["summary"] = "Enter a summary of the responses"
    if not you_said_we_did.strip():
        errors["you_said_we_did"] = "Enter what you did about what respondents said"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consultation.summary = summary.strip()
        consultation.you_said_we_did = you_said_we_did.strip()
        consultation.summary_published_at = timezone.now()
        consultation.save()
        log_action(
            action="commissioning.consultation.summary_published",
            actor=actor,
            obj=consultation,
            after={"responses": consultation.responses.count()},
            council=consultation.council,
        )
    return consultation


def start_market_test(
    *,
    intention: Intention,
    questions: str,
    closes_on: date,
    invited: list[Organisation],
    actor: User,
) -> SoftMarketTest:
    """Ask known and registered providers how the outcomes might be delivered."""
    if not [q for q in questions.splitlines() if q.strip()]:
        raise ValidationError({"questions": "Enter at least one question"})
    if closes_on <= timezone.localdate():
        raise ValidationError({"closes_on": "The closing date must be in the future"})
    test = SoftMarketTest(
        intention=intention, questions=questions.strip(), closes_on=closes_on, created_by=actor
    )
    with transaction.atomic():
        test.full_clean()
        test.save()
        test.invited.set(invited)
        enqueue_with_transaction(tasks.send_market_test_invitations, test.pk)
        log_action(
            action="commissioning.market_test.started",
            actor=actor,
            obj=intention,
            after={"closes_on": closes_on, "invited": [o.pk for o in invited]},
            council=intention.council,
        )
    return test


def respond_to_market_test(
    *,
    test: SoftMarketTest,
    organisation: Organisation,
    user: User,
    answers: list[str],
    interested: bool,
    is_commercial: bool,
) -> SoftMarketResponse:
    """A provider answers the questionnaire, without any commitment."""
    _member(user, organisation)
    if not test.is_open():
        raise ValidationError(f"This questionnaire closed on {test.closes_on:%-d %B %Y}")
    if not any(a.strip() for a in answers):
        raise ValidationError({"answer_0": "Answer at least one question"})
    with transaction.atomic():
        response, _ = SoftMarketResponse.objects.update_or_create(
            test=test,
            organisation=organisation,
            defaults={
                "answers": [a.strip() for a in answers],
                "interested": interested,
                "is_commercial": is_commercial,
                "respondent": user,
                "submitted_at": timezone.now(),
            },
        )
        log_action(
            action="commissioning.market_test.responded",
            actor=user,
            obj=test.intention,
            after={"organisation": organisation.pk, "interested": interested},
            council=test.intention.council,
        )
    return response


def record_market_findings(
    *, test: SoftMarketTest, findings: str, no_commercial_market: bool, actor: User
) -> SoftMarketTest:
    """Record what the soft market test found; it feeds the method advisor (§2.8)."""
    if not findings.strip():
        raise ValidationError({"findings": "Enter what the soft market testing found"})
    with transaction.atomic():
        test.findings = findings.strip()
        test.no_commercial_market = no_commercial_market
        test.findings_recorded_at = timezone.now()
        test.save()
        log_action(
            action="commissioning.market_test.findings_recorded",
            actor=actor,
            obj=test.intention,
            after={
                "no_commercial_market": no_commercial_market,
                "responses": test.responses.count(),
            },
            council=test.intention.council,
        )
    return test

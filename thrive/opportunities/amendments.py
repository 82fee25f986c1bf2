"""Amending a published opportunity: its terms change only by a published, audited amendment.

Once published, an opportunity's kind, sealing, application form, commissioning intention,
directorate, opening time, lots and criteria are fixed. Its process, value, most one applicant
may ask for, deadline for questions, closing time and expected decision date change only by an
amendment: the reason is required, the closing time and the deadline for questions only move
later, and every organisation with a draft or submitted application (and every invited one)
is emailed. Typing corrections to the title, summary and description, and the outcomes and
areas it is listed under, are not terms: they are saved and audited without an amendment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.dates import format_deadline
from thrive.core.money import format_pence
from thrive.core.tasks import enqueue_with_transaction
from thrive.opportunities import tasks
from thrive.opportunities.models import Amendment, Opportunity, OpportunityStatus

CORRECTIONS = ("title", "summary", "description")
TERMS = {
    "process": "How the process works",
    "value_pence": "Total value",
    "max_award_pence": "Most one applicant may ask for",
    "clarification_deadline": "Deadline for questions",
    "closes_at": "Closing",
    "decision_expected": "Decision expected by",
}
FIXED = {
    "kind": "The kind of opportunity cannot change once it is published",
    "form_template": "The application form cannot change once the opportunity is published",
    "intention": "The commissioning intention cannot change once the opportunity is published",
    "opens_at": "The opening time cannot change once the opportunity is published",
}


@dataclass
class AmendmentResult:
    """What an amendment did: the published amendment (if terms changed) and any correction."""

    amendment: Amendment | None
    corrected: bool

    @property
    def changed(self) -> bool:
        return self.amendment is not None or self.corrected


def display_value(name: str, value: Any) -> str:
    """A term's value as applicants read it on the page and in the email."""
    if value is None or value == "":
        return "Open all year (rolling)" if name == "closes_at" else "Not set"
    if isinstance(value, datetime):
        return format_deadline(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if name.endswith("_pence"):
        return format_pence(value)
    return str(value)


def _deadline_problems(
    opportunity: Opportunity, changes: dict[str, Any], now: datetime
) -> dict[str, str]:
    """Deadlines only move later: never earlier, never into the past (§4.1, DESIGN §4)."""
    problems: dict[str, str] = {}
    old_close = opportunity.closes_at
    new_close = changes.get("closes_at", old_close)
    if "closes_at" in changes and new_close is not None:
        if old_close is None:
            problems["closes_at"] = (
                "The scheme is open all year: it cannot be given an earlier closing date"
            )
        elif new_close <= old_close:
            problems["closes_at"] = (
                "The new closing date must be later than the current one, "
                f"{format_deadline(old_close)}"
            )
        elif new_close <= now:
            problems["closes_at"] = "The new closing date must be in the future"
    old_questions = opportunity.clarification_deadline or old_close
    new_questions = changes.get("clarification_deadline", opportunity.clarification_deadline)
    new_questions = new_questions or new_close
    if old_questions and new_questions and new_questions < old_questions:
        problems["clarification_deadline"] = (
            "The new deadline for questions cannot be earlier than the current one, "
            f"{format_deadline(old_questions)}"
        )
    return problems


def _check(opportunity: Opportunity, terms: dict[str, Any], reason: str, now: datetime) -> None:
    if opportunity.has_closed(now):
        raise ValidationError(
            f"The opportunity closed at {format_deadline(opportunity.closes_at)}: "
            "its terms can no longer be amended"
        )
    problems = _deadline_problems(opportunity, terms, now)
    if not reason:
        problems["reason"] = "Enter the reason for the amendment"
    if problems:
        raise ValidationError(problems)


def _changed(opportunity: Opportunity, fields: dict[str, Any], names: Any) -> dict[str, Any]:
    return {
        name: fields[name]
        for name in names
        if name in fields and fields[name] != getattr(opportunity, name)
    }


def _refuse_fixed(opportunity: Opportunity, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(CORRECTIONS) - set(TERMS) - set(FIXED)
    if unknown:
        raise ValidationError(f"These cannot be amended: {', '.join(sorted(unknown))}")
    current = {
        "kind": opportunity.kind,
        "form_template": opportunity.form_template,
        "intention": opportunity.intention,
        "opens_at": opportunity.opens_at,
    }
    refused = {
        name: message
        for name, message in FIXED.items()
        if name in fields and fields[name] != current[name]
    }
    if refused:
        raise ValidationError(refused)


def _record(
    opportunity: Opportunity, terms: dict[str, Any], before: dict[str, Any], **how: Any
) -> Amendment:
    number = (opportunity.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
    amendment = Amendment(
        opportunity=opportunity,
        number=number,
        changes={
            name: {
                "label": TERMS[name],
                "before": display_value(name, before[name]),
                "after": display_value(name, terms[name]),
            }
            for name in TERMS
            if name in terms
        },
        **how,
    )
    amendment.full_clean()
    amendment.save()
    log_action(
        action="opportunities.opportunity.amended",
        actor=how["made_by"],
        obj=opportunity,
        before={name: before[name] for name in terms},
        after={"amendment": number, **terms},
        reason=how["reason"],
        council=opportunity.council,
    )
    return amendment


def _listing_changed(opportunity: Opportunity, outcomes: Any, areas: Any) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if outcomes is not None:
        old = sorted(opportunity.outcomes.values_list("pk", flat=True))
        if sorted(o.pk for o in outcomes) != old:
            changes["outcomes"] = (old, sorted(o.pk for o in outcomes))
    if areas is not None:
        old = sorted(opportunity.areas.values_list("pk", flat=True))
        if sorted(a.pk for a in areas) != old:
            changes["areas"] = (old, sorted(a.pk for a in areas))
    return changes


def amend_opportunity(
    *,
    opportunity: Opportunity,
    actor: Any,
    reason: str = "",
    outcomes: list[Any] | None = None,
    areas: list[Any] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> AmendmentResult:
    """Change a published opportunity: terms by a published amendment, wording by correction.

    A refused change changes nothing. Nothing changed is not an error: nothing is recorded.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise ValidationError("Only a published opportunity is amended")
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        _refuse_fixed(locked, fields)
        terms = _changed(locked, fields, TERMS)
        corrections = _changed(locked, fields, CORRECTIONS)
        listing = _listing_changed(locked, outcomes, areas)
        if terms:
            _check(locked, terms, reason, now)
        before = {name: getattr(locked, name) for name in [*TERMS, *CORRECTIONS]}
        for name, value in {**terms, **corrections}.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        if "outcomes" in listing:
            locked.outcomes.set(outcomes)
        if "areas" in listing:
            locked.areas.set(areas)
        if corrections or listing:
            log_action(
                action="opportunities.opportunity.corrected",
                actor=actor,
                obj=locked,
                before={
                    **{n: before[n] for n in corrections},
                    **{n: old for n, (old, _) in listing.items()},
                },
                after={**corrections, **{n: new for n, (_, new) in listing.items()}},
                reason=reason,
                council=locked.council,
            )
        amendment = None
        if terms:
            amendment = _record(locked, terms, before, reason=reason, made_by=actor, made_at=now)
            enqueue_with_transaction(tasks.notify_amendment, amendment.pk)
    opportunity.refresh_from_db()
    return AmendmentResult(amendment=amendment, corrected=bool(corrections or listing))

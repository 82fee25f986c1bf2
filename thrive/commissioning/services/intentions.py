"""Commissioning intentions: writing, assessing, approving, publishing, combining (§2.4–§2.10)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.commissioning.models import (
    CharacteristicImpact,
    Direction,
    EqualityAssessment,
    Impact,
    Intention,
    IntentionStatus,
)
from thrive.commissioning.services.needs import settings_for
from thrive.core.models import BeneficiaryGroup
from thrive.core.money import format_pence
from thrive.strategy import services as strategy_services

EDITABLE = (IntentionStatus.DRAFT, IntentionStatus.ASSESSED, IntentionStatus.APPROVED)
SPEC_LABELS = {
    "aims": "Enter the aims of the service",
    "outcomes_sought": "Enter the outcomes sought",
    "target_group": "Enter the target group",
    "activities": "Enter the activities",
    "monitoring": "Enter how the service will be monitored",
    "quality_standards": "Enter the quality standards",
}


NOT_FOR_DECOMMISSIONING = ("aims", "target_group")


def _reference(today: date) -> str:
    prefix = f"CI-{today.year}-"
    last = Intention.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    number = int(last.reference.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _check_editable(intention: Intention) -> None:
    if intention.status not in EDITABLE:
        raise ValidationError(
            f"This intention is {intention.get_status_display().lower()} "
            "and can no longer be changed"
        )


def _reopen_if_approved(intention: Intention, actor: Any) -> None:
    """A change after approval needs approving again."""
    if intention.status == IntentionStatus.APPROVED:
        intention.status = IntentionStatus.ASSESSED
        intention.approved_at = None
        intention.approved_by = None
        log_action(
            action="commissioning.intention.reopened",
            actor=actor,
            obj=intention,
            before={"status": IntentionStatus.APPROVED},
            after={"status": IntentionStatus.ASSESSED},
            reason="Changed after approval",
            council=intention.council,
        )


def _check_links(*, council: Any, scope: set[int], outcomes: list, needs: list) -> None:
    errors: dict[str, str] = {}
    if not outcomes:
        errors["outcomes"] = "Select at least one outcome"
    elif any(o.council_id != council.pk for o in outcomes):
        errors["outcomes"] = "Choose outcomes of this council's framework"
    if any(n.council_id != council.pk or n.directorate_id not in scope for n in needs):
        errors["needs"] = "Choose needs recorded by this intention's directorates"
    if errors:
        raise ValidationError(errors)


def create_intention(
    *,
    council: Any,
    directorate: Any,
    title: str,
    summary: str,
    direction: str,
    outcomes: list,
    needs: list,
    actor: Any,
    stopped_outcomes: list | None = None,
) -> Intention:
    """Start a draft intention for a directorate, linked to needs and outcomes."""
    if directorate.council_id != council.pk:
        raise ValidationError({"directorate": "Choose a directorate of this council"})
    _check_links(council=council, scope={directorate.pk}, outcomes=outcomes, needs=needs)
    if direction == Direction.DECOMMISSIONING and not stopped_outcomes:
        raise ValidationError(
            {"stopped_outcomes": "Select the outcomes that will no longer be prioritised"}
        )
    for attempt in range(5):
        intention = Intention(
            council=council,
            directorate=directorate,
            reference=_reference(timezone.localdate()),
            title=title.strip(),
            summary=summary.strip(),
            direction=direction,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                intention.full_clean(validate_unique=False)
                intention.save()
                intention.outcomes.set(outcomes)
                intention.needs.set(needs)
                intention.stopped_outcomes.set(stopped_outcomes or [])
                log_action(
                    action="commissioning.intention.created",
                    actor=actor,
                    obj=intention,
                    after={
                        "title": intention.title,
                        "direction": direction,
                        "outcomes": [o.code for o in outcomes],
                        "needs": [n.pk for n in needs],
                    },
                    council=council,
                )
            return intention
        except IntegrityError:  # pragma: no cover - two drafts took the same number
            if attempt == 4:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def update_basics(
    *,
    intention: Intention,
    title: str,
    summary: str,
    direction: str,
    outcomes: list,
    needs: list,
    stopped_outcomes: list,
    actor: Any,
) -> Intention:
    """Change the title, summary, direction, needs and outcomes of an intention."""
    _check_editable(intention)
    _check_links(
        council=intention.council,
        scope=intention.scope_directorate_ids(),
        outcomes=outcomes,
        needs=needs,
    )
    if direction == Direction.DECOMMISSIONING and not stopped_outcomes:
        raise ValidationError(
            {"stopped_outcomes": "Select the outcomes that will no longer be prioritised"}
        )
    before = {"title": intention.title, "direction": intention.direction}
    intention.title, intention.summary, intention.direction = (
        title.strip(),
        summary.strip(),
        direction,
    )
    with transaction.atomic():
        _reopen_if_approved(intention, actor)
        intention.full_clean(validate_unique=False)
        intention.save()
        intention.outcomes.set(outcomes)
        intention.needs.set(needs)
        intention.stopped_outcomes.set(stopped_outcomes)
        log_action(
            action="commissioning.intention.changed",
            actor=actor,
            obj=intention,
            before=before,
            after={"title": intention.title, "direction": direction},
            council=intention.council,
        )
    return intention


def update_specification(
    *, intention: Intention, fields: dict[str, str], groups: list, areas: list, actor: Any
) -> Intention:
    """Write the service specification in the standard format (§2.5)."""
    _check_editable(intention)
    for name, value in fields.items():
        if name not in specification_fields(intention):
            raise ValueError(name)
        setattr(intention, name, value.strip())
    with transaction.atomic():
        _reopen_if_approved(intention, actor)
        intention.full_clean(validate_unique=False)
        intention.save()
        intention.groups.set(groups)
        intention.areas.set(areas)
        log_action(
            action="commissioning.intention.specification_changed",
            actor=actor,
            obj=intention,
            after={k: len(v) for k, v in fields.items()},
            council=intention.council,
        )
    return intention


def update_funding(
    *,
    intention: Intention,
    budget_pence: int,
    pot: Any,
    service_start: date | None,
    service_end: date | None,
    procurement_start: date | None,
    short_term_justification: str,
    actor: Any,
) -> Intention:
    """Set the budget, pot and timeline; a term under the norm needs a justification (§2.10)."""
    _check_editable(intention)
    errors: dict[str, str] = {}
    if budget_pence < 0:
        errors["budget"] = "Budget must be £0 or more"
    if pot is not None and pot.council_id != intention.council_id:
        errors["pot"] = "Choose a pot of this council"
    if service_start and service_end and service_end <= service_start:
        errors["service_end"] = "The service must end after it starts"
    if errors:
        raise ValidationError(errors)
    before = {
        "budget_pence": intention.budget_pence,
        "pot": intention.pot_id,
        "service_start": intention.service_start,
        "service_end": intention.service_end,
    }
    intention.budget_pence = budget_pence
    intention.pot = pot
    intention.service_start, intention.service_end = service_start, service_end
    intention.procurement_start = procurement_start
    intention.short_term_justification = short_term_justification.strip()
    with transaction.atomic():
        _reopen_if_approved(intention, actor)
        intention.full_clean(validate_unique=False)
        intention.save()
        log_action(
            action="commissioning.intention.funding_changed",
            actor=actor,
            obj=intention,
            before=before,
            after={
                "budget_pence": budget_pence,
                "pot": getattr(pot, "pk", None),
                "service_start": service_start,
                "service_end": service_end,
                "short_term_justification": intention.short_term_justification,
            },
            council=intention.council,
        )
    return intention


# --- rules for approval ---------------------------------------------------------------


def length_of_funding_problem(intention: Intention) -> str:
    """Say what is missing about the term (§2.10), or ''."""
    months = intention.term_months
    if months is None:
        return "Enter when the service starts and ends"
    minimum = settings_for(intention.council).minimum_term_months
    if months < minimum and not intention.short_term_justification.strip():
        return (
            f"The term is {months} months, less than the norm of {minimum} months: "
            "enter why a shorter term is right"
        )
    return ""


def specification_fields(intention: Intention) -> list[str]:
    """The specification sections asked of this intention.

    A decommissioning intention seeks no service, so it has no aims or target group.
    """
    if intention.direction == Direction.DECOMMISSIONING:
        return [name for name in SPEC_LABELS if name not in NOT_FOR_DECOMMISSIONING]
    return list(SPEC_LABELS)


def required_specification(intention: Intention) -> list[str]:
    """The specification sections this intention needs, in proportion to its value (§2.5)."""
    asked = specification_fields(intention)
    required = [name for name in ("aims", "outcomes_sought", "target_group") if name in asked]
    thresholds = strategy_services.thresholds_on(
        day=intention.procurement_start or timezone.localdate(), council=intention.council
    )
    if intention.budget_pence > thresholds.small_grant_limit_pence:
        required += ["activities", "monitoring"]
    if intention.budget_pence >= thresholds.below_threshold_notice_pence:
        required.append("quality_standards")
    return required


def specification_problems(intention: Intention) -> list[str]:
    return [
        SPEC_LABELS[name]
        for name in required_specification(intention)
        if not getattr(intention, name).strip()
    ]


def approval_problems(intention: Intention) -> list[str]:
    """Everything that stands between this intention and approval, in plain words."""
    problems = specification_problems(intention)
    if not intention.outcomes.exists():
        problems.append("Link the intention to at least one outcome")
    if intention.budget_pence <= 0 and intention.direction != Direction.DECOMMISSIONING:
        problems.append("Enter the budget")
    pot = intention.pot
    if pot is not None and intention.budget_pence > pot.remaining_pence:
        problems.append(
            f"The budget, {format_pence(intention.budget_pence)}, is more than the "
            f"{format_pence(pot.remaining_pence)} that remains in {pot.name}"
        )
    if (
        term := length_of_funding_problem(intention)
    ) and intention.direction != Direction.DECOMMISSIONING:
        problems.append(term)
    eqia = getattr(intention, "eqia", None)
    if eqia is None or not eqia.is_complete:
        problems.append("Complete the equality impact assessment")
    method = getattr(intention, "method", None)
    if intention.direction != Direction.DECOMMISSIONING:
        if method is None or not method.is_confirmed:
            problems.append("Run the method advisor and confirm the method")
        elif not method.is_settled:
            problems.append("The procurement officer must agree the procurement route")
    return problems


def _transition(
    intention: Intention, status: str, actor: Any, action: str, reason: str = ""
) -> None:
    before = intention.status
    intention.status = status
    intention.save()
    log_action(
        action=action,
        actor=actor,
        obj=intention,
        before={"status": before},
        after={"status": status},
        reason=reason,
        council=intention.council,
    )


def approve_intention(*, intention: Intention, actor: Any) -> Intention:
    """Approve a complete, impact-assessed intention whose method is settled."""
    if intention.status != IntentionStatus.ASSESSED:
        raise ValidationError("Complete the equality impact assessment before approving")
    problems = approval_problems(intention)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        intention.approved_at, intention.approved_by = timezone.now(), actor
        _transition(intention, IntentionStatus.APPROVED, actor, "commissioning.intention.approved")
    return intention


def consultation_still_open(intention: Intention) -> str:
    """Why the intention cannot be published yet because its consultation has not closed.

    Publishing decides what the consultation is still asking about (§1.5), so it waits
    until the last of the intention's consultations has closed. Empty when none is open.
    """
    today = timezone.localdate()
    running = intention.consultations.filter(closes_on__gte=today).order_by("-closes_on").first()
    if running is None:
        return ""
    return (
        f"The consultation “{running.title}” closes on {running.closes_on:%-d %B %Y}. "
        "Publish the intention after it closes and you have considered the responses"
    )


def publish_intention(*, intention: Intention, actor: Any) -> Intention:
    """Publish an approved intention on /intentions/ and its feed (§2.4)."""
    eqia = getattr(intention, "eqia", None)
    if eqia is None or not eqia.is_complete:
        raise ValidationError("Complete the equality impact assessment before publishing")
    if intention.status != IntentionStatus.APPROVED:
        raise ValidationError("Approve the intention before publishing it")
    if waiting := consultation_still_open(intention):
        raise ValidationError(waiting)
    with transaction.atomic():
        intention.published_at, intention.published_by = timezone.now(), actor
        _transition(
            intention, IntentionStatus.PUBLISHED, actor, "commissioning.intention.published"
        )
    return intention


def mark_commissioned(*, intention: Intention, actor: Any) -> Intention:
    """Record that the published intention has been commissioned."""
    if intention.status != IntentionStatus.PUBLISHED:
        raise ValidationError("Only a published intention can be marked as commissioned")
    with transaction.atomic():
        _transition(
            intention, IntentionStatus.COMMISSIONED, actor, "commissioning.intention.commissioned"
        )
    return intention


def withdraw_intention(*, intention: Intention, actor: Any, reason: str) -> Intention:
    """Withdraw an intention, saying why."""
    if intention.status in (IntentionStatus.WITHDRAWN, IntentionStatus.COMMISSIONED):
        raise ValidationError(f"This intention is already {intention.get_status_display().lower()}")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for withdrawing the intention"})
    with transaction.atomic():
        intention.withdrawn_reason = reason.strip()
        _transition(
            intention, IntentionStatus.WITHDRAWN, actor, "commissioning.intention.withdrawn", reason
        )
    return intention


# --- equality impact assessment ---------------------------------------------------------


def protected_characteristics() -> list[BeneficiaryGroup]:
    return list(BeneficiaryGroup.objects.filter(protected_characteristic=True).order_by("order"))


def _check_impacts(characteristics: list, impacts: dict, complete: bool) -> None:
    errors: dict[str, list[str]] = {}
    for group in characteristics:
        answer = impacts.get(group.pk) or {}
        impact = answer.get("impact", "")
        name = group.name.lower()
        if (impact and impact not in Impact.values) or (complete and not impact):
            errors.setdefault(f"impact_{group.pk}", []).append(f"Select the impact on {name}")
        if impact == Impact.NEGATIVE and not answer.get("mitigation", "").strip():
            errors.setdefault(f"mitigation_{group.pk}", []).append(
                f"Enter how the negative impact on {name} will be mitigated"
            )
    if errors:
        raise ValidationError(errors)


def save_equality_assessment(
    *,
    intention: Intention,
    impacts: dict[int, dict[str, str]],
    summary: str,
    complete: bool,
    actor: Any,
) -> EqualityAssessment:
    """Record the impact on each protected characteristic; complete it once all are answered.

    ``impacts`` maps a characteristic's id to ``impact``, ``evidence`` and ``mitigation``.
    """
    _check_editable(intention)
    characteristics = protected_characteristics()
    _check_impacts(characteristics, impacts, complete)
    with transaction.atomic():
        assessment, _ = EqualityAssessment.objects.get_or_create(intention=intention)
        assessment.summary = summary.strip()
        for group in characteristics:
            answer = impacts.get(group.pk) or {}
            if not answer.get("impact"):
                CharacteristicImpact.objects.filter(
                    assessment=assessment, characteristic=group
                ).delete()
                continue
            CharacteristicImpact.objects.update_or_create(
                assessment=assessment,
                characteristic=group,
                defaults={
                    "impact": answer["impact"],
                    "evidence": answer.get("evidence", "").strip(),
                    "mitigation": answer.get("mitigation", "").strip(),
                },
            )
        was_complete = assessment.is_complete
        if complete:
            assessment.completed_at, assessment.completed_by = timezone.now(), actor
        assessment.save()
        log_action(
            action="commissioning.eqia.completed" if complete else "commissioning.eqia.saved",
            actor=actor,
            obj=intention,
            before={"complete": was_complete},
            after={
                "complete": complete or was_complete,
                "impacts": {str(k): v.get("impact", "") for k, v in impacts.items()},
            },
            council=intention.council,
        )
        if complete and intention.status == IntentionStatus.DRAFT:
            _transition(
                intention, IntentionStatus.ASSESSED, actor, "commissioning.intention.assessed"
            )
        elif not complete and was_complete:
            assessment.completed_at = None
            assessment.save()
            if intention.status != IntentionStatus.DRAFT:
                intention.approved_at = None
                _transition(
                    intention,
                    IntentionStatus.DRAFT,
                    actor,
                    "commissioning.intention.reopened",
                    "The equality impact assessment was reopened",
                )
    return assessment


# --- joint commissioning (§4.3) ------------------------------------------------------------


def combine_intentions(
    *, intentions: list[Intention], lead: Any, title: str, actor: Any
) -> Intention:
    """Combine overlapping intentions of different directorates into one joint intention."""
    if len(intentions) < 2:
        raise ValidationError({"intentions": "Select at least two intentions to combine"})
    councils = {i.council_id for i in intentions}
    directorates = {i.directorate_id for i in intentions}
    if len(councils) != 1:
        raise ValidationError({"intentions": "Choose intentions of one council"})
    if len(directorates) < 2:
        raise ValidationError({"intentions": "Choose intentions of at least two directorates"})
    if lead.pk not in directorates:
        raise ValidationError({"lead": "Choose the lead from the intentions' directorates"})
    if any(i.status not in EDITABLE for i in intentions):
        raise ValidationError(
            {"intentions": "Only draft, assessed or approved intentions can be combined"}
        )
    first = intentions[0]
    outcomes = {o for i in intentions for o in i.outcomes.all()}
    needs = {n for i in intentions for n in i.needs.all()}
    with transaction.atomic():
        joint = create_intention(
            council=first.council,
            directorate=lead,
            title=title,
            summary="\n\n".join(f"{i.title}: {i.summary}" for i in intentions),
            direction=first.direction,
            outcomes=sorted(outcomes, key=lambda o: o.pk),
            needs=[],
            actor=actor,
        )
        joint.needs.set(needs)
        joint.partner_directorates.set(directorates - {lead.pk})
        joint.budget_pence = sum(i.budget_pence for i in intentions)
        joint.save()
        for intention in intentions:
            intention.combined_into = joint
            intention.withdrawn_reason = f"Combined into the joint intention {joint.reference}"
            _transition(
                intention,
                IntentionStatus.WITHDRAWN,
                actor,
                "commissioning.intention.combined",
                f"Combined into {joint.reference}",
            )
        log_action(
            action="commissioning.intention.joint_created",
            actor=actor,
            obj=joint,
            after={
                "from": [i.reference for i in intentions],
                "lead": lead.pk,
                "budget_pence": joint.budget_pence,
            },
            council=joint.council,
        )
    return joint

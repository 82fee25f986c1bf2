"""Commissioning intentions: writing, assessing, approving, publishing, combining (§2.4–§2.10)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from thrive.accounts.models import Council, User
from thrive.audit.services import log_action
from thrive.commissioning.models import (
    Direction,
    Intention,
    IntentionStatus,
    Need,
)
from thrive.commissioning.services import readiness
from thrive.core.models import Area, BeneficiaryGroup
from thrive.strategy.models import Directorate, FundingPot, Outcome

EDITABLE = (IntentionStatus.DRAFT, IntentionStatus.ASSESSED, IntentionStatus.APPROVED)


def _reference(today: date) -> str:
    prefix = f"CI-{today.year}-"
    last = Intention.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    number = int(last.reference.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def check_editable(*, intention: Intention) -> None:
    """Refuse a change to an intention past approval."""
    if intention.status not in EDITABLE:
        raise ValidationError(
            f"This intention is {intention.get_status_display().lower()} "
            "and can no longer be changed"
        )


def reopen_if_approved(*, intention: Intention, actor: User) -> None:
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


def _check_links(
    *, council: Council, scope: set[int], outcomes: list[Outcome], needs: list
) -> None:
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
    council: Council,
    directorate: Directorate,
    title: str,
    summary: str,
    direction: str,
    outcomes: list[Outcome],
    needs: list[Need],
    actor: User,
    stopped_outcomes: list[Outcome] | None = None,
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
    outcomes: list[Outcome],
    needs: list[Need],
    stopped_outcomes: list[Outcome],
    actor: User,
) -> Intention:
    """Change the title, summary, direction, needs and outcomes of an intention."""
    check_editable(intention=intention)
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
        reopen_if_approved(intention=intention, actor=actor)
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
    *,
    intention: Intention,
    fields: dict[str, str],
    groups: list[BeneficiaryGroup],
    areas: list[Area],
    actor: User,
) -> Intention:
    """Write the service specification in the standard format (§2.5)."""
    check_editable(intention=intention)
    for name, value in fields.items():
        if name not in readiness.specification_fields(intention=intention):
            raise ValueError(name)
        setattr(intention, name, value.strip())
    with transaction.atomic():
        reopen_if_approved(intention=intention, actor=actor)
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
    pot: FundingPot | None,
    service_start: date | None,
    service_end: date | None,
    procurement_start: date | None,
    short_term_justification: str,
    actor: User,
) -> Intention:
    """Set the budget, pot and timeline; a term under the norm needs a justification (§2.10)."""
    check_editable(intention=intention)
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
        reopen_if_approved(intention=intention, actor=actor)
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


def transition(
    *, intention: Intention, status: str, actor: User, action: str, reason: str = ""
) -> None:
    """Move the intention to a status and record who did it and why."""
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


def approve_intention(*, intention: Intention, actor: User) -> Intention:
    """Approve a complete, impact-assessed intention whose method is settled."""
    if intention.status != IntentionStatus.ASSESSED:
        raise ValidationError("Complete the equality impact assessment before approving")
    problems = readiness.approval_problems(intention=intention)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        intention.approved_at, intention.approved_by = timezone.now(), actor
        transition(
            intention=intention,
            status=IntentionStatus.APPROVED,
            actor=actor,
            action="commissioning.intention.approved",
        )
    return intention


def publish_intention(*, intention: Intention, actor: User) -> Intention:
    """Publish an approved intention on /intentions/ and its feed (§2.4)."""
    eqia = getattr(intention, "eqia", None)
    if eqia is None or not eqia.is_complete:
        raise ValidationError("Complete the equality impact assessment before publishing")
    if intention.status != IntentionStatus.APPROVED:
        raise ValidationError("Approve the intention before publishing it")
    if waiting := readiness.consultation_still_open(intention=intention):
        raise ValidationError(waiting)
    with transaction.atomic():
        intention.published_at, intention.published_by = timezone.now(), actor
        transition(
            intention=intention,
            status=IntentionStatus.PUBLISHED,
            actor=actor,
            action="commissioning.intention.published",
        )
    return intention


def mark_commissioned(*, intention: Intention, actor: User) -> Intention:
    """Record that the published intention has been commissioned."""
    if intention.status != IntentionStatus.PUBLISHED:
        raise ValidationError("Only a published intention can be marked as commissioned")
    with transaction.atomic():
        transition(
            intention=intention,
            status=IntentionStatus.COMMISSIONED,
            actor=actor,
            action="commissioning.intention.commissioned",
        )
    return intention


def withdraw_intention(*, intention: Intention, actor: User, reason: str) -> Intention:
    """Withdraw an intention, saying why."""
    if intention.status in (IntentionStatus.WITHDRAWN, IntentionStatus.COMMISSIONED):
        raise ValidationError(f"This intention is already {intention.get_status_display().lower()}")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for withdrawing the intention"})
    with transaction.atomic():
        intention.withdrawn_reason = reason.strip()
        transition(
            intention=intention,
            status=IntentionStatus.WITHDRAWN,
            actor=actor,
            action="commissioning.intention.withdrawn",
            reason=reason,
        )
    return intention

"""The equality impact assessment of an intention (§2.4): required before approval."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.commissioning.models import (
    CharacteristicImpact,
    EqualityAssessment,
    Impact,
    Intention,
    IntentionStatus,
)
from thrive.commissioning.services.intentions import check_editable, transition
from thrive.core.models import BeneficiaryGroup


def protected_characteristics() -> list[BeneficiaryGroup]:
    """The groups an equality impact assessment asks about, in order."""
    return list(BeneficiaryGroup.objects.filter(protected_characteristic=True).order_by("order"))


def _check_impacts(
    characteristics: list[BeneficiaryGroup], impacts: dict[int, dict[str, str]], complete: bool
) -> None:
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


def _save_impacts(
    assessment: EqualityAssessment,
    characteristics: list[BeneficiaryGroup],
    impacts: dict[int, dict[str, str]],
) -> None:
    """Keep the answered impacts and drop those left unanswered."""
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


def save_equality_assessment(
    *,
    intention: Intention,
    impacts: dict[int, dict[str, str]],
    summary: str,
    complete: bool,
    actor: User,
) -> EqualityAssessment:
    """Record the impact on each protected characteristic; complete it once all are answered.

    ``impacts`` maps a characteristic's id to ``impact``, ``evidence`` and ``mitigation``.
    """
    check_editable(intention=intention)
    characteristics = protected_characteristics()
    _check_impacts(characteristics, impacts, complete)
    with transaction.atomic():
        assessment, _ = EqualityAssessment.objects.get_or_create(intention=intention)
        assessment.summary = summary.strip()
        _save_impacts(assessment, characteristics, impacts)
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
            transition(
                intention=intention,
                status=IntentionStatus.ASSESSED,
                actor=actor,
                action="commissioning.intention.assessed",
            )
        elif not complete and was_complete:
            assessment.completed_at = None
            assessment.save()
            if intention.status != IntentionStatus.DRAFT:
                intention.approved_at = None
                transition(
                    intention=intention,
                    status=IntentionStatus.DRAFT,
                    actor=actor,
                    action="commissioning.intention.reopened",
                    reason="The equality impact assessment was reopened",
                )
    return assessment

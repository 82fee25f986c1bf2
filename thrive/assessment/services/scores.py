"""Independent scoring, opening moderation and the panel's agreed scores (§4.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.applications.models import Application, ApplicationStatus
from thrive.applications.services.outcomes import set_assessment_status
from thrive.assessment import scoring, selectors
from thrive.assessment.models import ModeratedScore, Panel, PanelMember, Score
from thrive.audit.services import log_action
from thrive.opportunities.models import Criterion


@dataclass
class Given:
    """One criterion's answer as an assessor or the panel gives it."""

    criterion: Criterion
    score: int | Decimal | None = None
    not_applicable: bool = False
    passed: bool | None = None
    comment: str = ""


def _check_given(item: Given, *, comment_required: bool) -> dict[str, str]:
    c = item.criterion
    key = f"criterion_{c.pk}"
    if c.is_price:
        return {key: f"{c.title} is scored by the price formula, not by assessors"}
    if c.is_gate:
        if item.passed is None:
            return {key: f"Select pass or fail for {c.title}"}
    elif item.not_applicable:
        if item.score is not None:
            return {key: f"{c.title}: give a score or say it does not apply, not both"}
    elif item.score is None:
        return {key: f"Enter a score for {c.title}, or say it does not apply"}
    elif not any(Decimal(p["score"]) == Decimal(item.score) for p in c.scale_points):
        allowed = ", ".join(str(p["score"]) for p in c.scale_points)
        return {key: f"Score {c.title} with one of {allowed}"}
    if comment_required and not item.comment.strip():
        return {f"comment_{c.pk}": f"Enter a comment for {c.title}"}
    return {}


def _ensure_may_score(member: PanelMember, application: Application) -> None:
    if application.opportunity_id != member.panel.opportunity_id:
        raise PermissionDenied("Not on this application's panel")
    declaration = selectors.latest_declaration(member)
    if declaration is None:
        raise ValidationError("Declare any conflicts of interest before you see applications")
    if selectors.is_conflicted(declaration, application.organisation_id):
        raise PermissionDenied("You declared a conflict of interest with this organisation")
    if not selectors.panel_applications(application.opportunity).filter(pk=application.pk).exists():
        raise ValidationError("Only eligible applications are assessed")
    if member.panel.moderation_open:
        raise ValidationError("Scoring has closed: the panel is moderating")


def record_scores(
    *, member: PanelMember, application: Application, given: list[Given]
) -> list[Score]:
    """Record one assessor's independent scores with a comment for each criterion."""
    _ensure_may_score(member, application)
    errors: dict[str, str] = {}
    for item in given:
        errors.update(_check_given(item, comment_required=True))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    saved = []
    with transaction.atomic():
        for item in given:
            score, _ = Score.objects.update_or_create(
                application=application,
                criterion=item.criterion,
                assessor=member.user,
                defaults={
                    "score": None if item.not_applicable or item.criterion.is_gate else item.score,
                    "not_applicable": item.not_applicable and not item.criterion.is_gate,
                    "passed": item.passed if item.criterion.is_gate else None,
                    "comment": item.comment.strip(),
                    "scored_at": now,
                },
            )
            saved.append(score)
        if application.status == ApplicationStatus.ELIGIBLE:
            set_assessment_status(
                application=application,
                status=ApplicationStatus.UNDER_ASSESSMENT,
                actor=member.user,
                reason="Scoring started",
            )
        log_action(
            action="assessment.scores.recorded",
            actor=member.user,
            obj=application,
            after={str(s.criterion_id): _as_audit(s) for s in saved},
            council=application.opportunity.council,
        )
    return saved


def _as_audit(score: Score | ModeratedScore) -> dict[str, Any]:
    return {
        "score": None if score.score is None else str(score.score),
        "not_applicable": score.not_applicable,
        "passed": score.passed,
    }


def open_moderation(*, panel: Panel, actor: User, now: datetime | None = None) -> Panel:
    """Close independent scoring and let the panel see each other's scores."""
    if panel.moderation_open:
        raise ValidationError("Moderation has already opened")
    applications = list(selectors.panel_applications(panel.opportunity))
    if not applications:
        raise ValidationError("There are no eligible applications to moderate")
    unscored = [a for a in applications if not Score.objects.filter(application=a).exists()]
    if unscored:
        names = ", ".join(str(a) for a in unscored[:5])
        raise ValidationError(f"Every application needs scores before moderation: {names}")
    with transaction.atomic():
        panel.moderation_opened_at = now or timezone.now()
        panel.moderation_opened_by = actor
        panel.save(update_fields=["moderation_opened_at", "moderation_opened_by"])
        log_action(
            action="assessment.moderation.opened",
            actor=actor,
            obj=panel,
            after={"opportunity": panel.opportunity.reference},
            council=panel.opportunity.council,
        )
    return panel


def _differs(item: Given, scores: list[Score]) -> bool:
    """Whether the agreed answer differs from what the assessors gave."""
    if not scores:
        return True
    if item.criterion.is_gate:
        return any(s.passed != item.passed for s in scores)
    if item.not_applicable:
        return not all(s.not_applicable for s in scores)
    mean = scoring.mean_score([s.score for s in scores])
    return mean is None or Decimal(item.score) != mean


def moderate(*, application: Application, actor: User, agreed: list[Given]) -> list[ModeratedScore]:
    """Record the panel's agreed result per criterion, with a reason wherever it differs."""
    panel = selectors.panel_of(application.opportunity)
    if panel is None or not panel.moderation_open:
        raise ValidationError("Moderation has not opened for this opportunity")
    by_criterion = selectors.scores_by_criterion(application)
    errors: dict[str, str] = {}
    for item in agreed:
        errors.update(_check_given(item, comment_required=False))
        if _differs(item, by_criterion.get(item.criterion.pk, [])) and not item.comment.strip():
            errors[f"comment_{item.criterion.pk}"] = (
                f"Give the reason the agreed score for {item.criterion.title} "
                "differs from the assessors' scores"
            )
    if errors:
        raise ValidationError(errors)
    return _save_moderation(application, actor, agreed, by_criterion)


def _save_moderation(
    application: Application, actor: User, agreed: list[Given], by_criterion: dict
) -> list[ModeratedScore]:
    saved = []
    with transaction.atomic():
        for item in agreed:
            c = item.criterion
            scores = by_criterion.get(c.pk, [])
            row, _ = ModeratedScore.objects.update_or_create(
                application=application,
                criterion=c,
                defaults={
                    "score": None if item.not_applicable or c.is_gate else item.score,
                    "not_applicable": item.not_applicable and not c.is_gate,
                    "passed": item.passed if c.is_gate else None,
                    "assessor_mean": scoring.mean_score([s.score for s in scores]),
                    "reason": item.comment.strip(),
                    "moderated_by": actor,
                    "moderated_at": timezone.now(),
                },
            )
            saved.append(row)
        log_action(
            action="assessment.moderation.recorded",
            actor=actor,
            obj=application,
            after={str(m.criterion_id): {**_as_audit(m), "reason": m.reason} for m in saved},
            council=application.opportunity.council,
        )
    return saved

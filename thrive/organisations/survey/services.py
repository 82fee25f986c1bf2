"""An organisation answers the yearly survey (§5.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.organisations.models import Organisation
from thrive.strategy.models import SurveyResponse, SurveyRound


def answer_survey(
    *,
    survey: SurveyRound,
    organisation: Organisation,
    answers: dict[str, Any],
    actor: User,
    today: date | None = None,
) -> SurveyResponse:
    """Record an organisation's answers: once per round, only while the round is open.

    The audit event names the round, never the answers, so the log cannot link an
    organisation to what it said.
    """
    today = today or timezone.localdate()
    if today < survey.opens_on:
        raise ValidationError(
            f"This survey opens on {survey.opens_on:%-d %B %Y}; you cannot answer it yet"
        )
    if today > survey.closes_on:
        raise ValidationError(
            f"This survey closed on {survey.closes_on:%-d %B %Y}; answers can no longer be sent"
        )
    if SurveyResponse.objects.filter(round=survey, organisation=organisation).exists():
        raise ValidationError(f"{organisation.name} has already answered this survey")
    response = SurveyResponse(
        round=survey,
        organisation=organisation,
        size_band=organisation.size_band or "",
        overall=answers["overall"],
        funding=answers["funding"],
        involvement=answers["involvement"],
        relationship=answers["relationship"],
        comment=(answers.get("comment") or "").strip(),
        submitted_by=actor,
    )
    try:
        with transaction.atomic():
            response.full_clean(exclude=["round", "organisation", "submitted_by"])
            response.save()
            log_action(
                action="strategy.survey.answered",
                actor=actor,
                obj=survey,
                after={"round": survey.pk},
                council=survey.council,
            )
    except IntegrityError as exc:
        raise ValidationError(f"{organisation.name} has already answered this survey") from exc
    return response

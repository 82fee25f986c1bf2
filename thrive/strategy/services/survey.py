"""The yearly NI 7 survey's rounds (§5.1); organisations answer through their own app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from thrive.strategy.models import SurveyRound
from thrive.strategy.services.common import save_audited

if TYPE_CHECKING:
    from thrive.accounts.models import User

ROUND_FIELDS = ("financial_year_id", "opens_on", "closes_on", "introduction")


def save_round(*, survey: SurveyRound, actor: User) -> SurveyRound:
    """Open a survey round for a council's financial year, or change its dates; audited."""
    errors: dict[str, str] = {}
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"
    duplicate = SurveyRound.objects.filter(
        council_id=survey.council_id, financial_year_id=survey.financial_year_id
    ).exclude(pk=survey.pk)
    if duplicate.exists():
        errors["financial_year"] = (
            f"There is already a survey for {survey.financial_year}; change that one instead"
        )
    if errors:
        raise ValidationError(errors)
    return save_audited(
        obj=survey,
        fields=ROUND_FIELDS,
        actions=("strategy.survey.opened", "strategy.survey.changed"),
        actor=actor,
    )

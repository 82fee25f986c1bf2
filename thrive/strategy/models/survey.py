"""The annual NI 7 survey of Third Sector organisations (§5.1): rounds and answers."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from thrive.strategy.models.pots import FinancialYear


class SurveyRound(models.Model):
    """A council's annual survey of the local Third Sector, open between two dates."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="survey_rounds"
    )
    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="survey_rounds"
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    introduction = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["council_id", "-financial_year__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "financial_year"], name="survey_round_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"Third Sector survey {self.financial_year}"

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def state(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "not open yet"
        return "open" if today <= self.closes_on else "closed"


class Influence(models.IntegerChoices):
    """The NI 7 answer scale: how local statutory bodies influence the organisation's success."""

    VERY_POSITIVE = 5, "Very positive"
    FAIRLY_POSITIVE = 4, "Fairly positive"
    NEITHER = 3, "Neither positive nor negative"
    FAIRLY_NEGATIVE = 2, "Fairly negative"
    VERY_NEGATIVE = 1, "Very negative"


POSITIVE_INFLUENCE = (Influence.VERY_POSITIVE, Influence.FAIRLY_POSITIVE)


class Agreement(models.IntegerChoices):
    STRONGLY_AGREE = 5, "Strongly agree"
    TEND_TO_AGREE = 4, "Tend to agree"
    NEITHER = 3, "Neither agree nor disagree"
    TEND_TO_DISAGREE = 2, "Tend to disagree"
    STRONGLY_DISAGREE = 1, "Strongly disagree"
    DONT_KNOW = 0, "Don't know or not applicable"


class SurveyResponse(models.Model):
    """One organisation's answers in a round. Results are shown to staff only in aggregate."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="survey_responses"
    )
    size_band = models.CharField(max_length=10, blank=True)
    overall = models.PositiveSmallIntegerField(choices=Influence.choices)
    funding = models.PositiveSmallIntegerField(choices=Agreement.choices)
    involvement = models.PositiveSmallIntegerField(choices=Agreement.choices)
    relationship = models.PositiveSmallIntegerField(choices=Agreement.choices)
    comment = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="survey_one_response_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(overall__gte=1) & Q(overall__lte=5), name="survey_overall_on_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.round}"

"""A council's commissioning settings and the factors needs are scored on (§2.3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class PriorityFactor(models.TextChoices):
    """The §2.3 factors, scored 0 to 3 on each need (statutory is a yes/no that ranks first)."""

    EQUALITY_GAP = "equality_gap", "Equality gap across the protected characteristics"
    GEOGRAPHIC_GAP = "geographic_gap", "Gap between geographical areas"
    ACTIVITY_ELSEWHERE = "activity_elsewhere", "Commissioning activity elsewhere in the county"
    BUDGET = "budget", "Fit with the budget available"
    USER_INVOLVEMENT = "user_involvement", "Opportunity for greater user involvement"
    PREVENTATIVE = "preventative", "Preventative potential"


FACTOR_HINTS: dict[str, str] = {
    PriorityFactor.EQUALITY_GAP: "How far outcomes for some groups (age, disability, sex, race, "
    "religion or belief, sexual orientation and the other protected characteristics) fall "
    "behind others",
    PriorityFactor.GEOGRAPHIC_GAP: "How far outcomes in some areas fall behind others",
    PriorityFactor.ACTIVITY_ELSEWHERE: "How much this need is left unmet by commissioning "
    "elsewhere in the county, regionally or sub-regionally",
    PriorityFactor.BUDGET: "How well the need can be met within the budget available",
    PriorityFactor.USER_INVOLVEMENT: "How much scope there is to involve service users",
    PriorityFactor.PREVENTATIVE: "How far allied or preventative services could lessen the need "
    "in future",
}

SCORE_LABELS = {0: "None", 1: "Low", 2: "Medium", 3: "High"}
DEFAULT_WEIGHTS = {
    PriorityFactor.EQUALITY_GAP: 3,
    PriorityFactor.GEOGRAPHIC_GAP: 2,
    PriorityFactor.ACTIVITY_ELSEWHERE: 1,
    PriorityFactor.BUDGET: 2,
    PriorityFactor.USER_INVOLVEMENT: 1,
    PriorityFactor.PREVENTATIVE: 2,
}


class CommissioningSettings(models.Model):
    """A council's commissioning configuration: weights, consultation length, thresholds."""

    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="commissioning_settings"
    )
    weight_equality_gap = models.PositiveSmallIntegerField(default=3)
    weight_geographic_gap = models.PositiveSmallIntegerField(default=2)
    weight_activity_elsewhere = models.PositiveSmallIntegerField(default=1)
    weight_budget = models.PositiveSmallIntegerField(default=2)
    weight_user_involvement = models.PositiveSmallIntegerField(default=1)
    weight_preventative = models.PositiveSmallIntegerField(default=2)
    consultation_weeks = models.PositiveSmallIntegerField(
        default=12, help_text="The Compact asks for twelve weeks"
    )
    notice_months = models.PositiveSmallIntegerField(
        default=3, help_text="Notice before funding ends, as the Compact asks"
    )
    withdrawal_share_percent = models.PositiveSmallIntegerField(
        default=25,
        help_text="Warn when council funding is at least this share of a provider's income",
    )
    minimum_term_months = models.PositiveSmallIntegerField(
        default=36, help_text="Shorter terms need a recorded justification (§2.10)"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "commissioning settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawal_share_percent__lte=100), name="withdrawal_share_is_percent"
            ),
            models.CheckConstraint(
                condition=Q(consultation_weeks__gte=1), name="consultation_at_least_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"Commissioning settings for {self.council}"

    def weights(self) -> dict[str, int]:
        return {factor: getattr(self, f"weight_{factor}") for factor in PriorityFactor.values}

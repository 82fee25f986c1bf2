"""Monitoring tiers and a council's monitoring settings (§4.2, §4.3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from thrive.core.money import format_pence


class Schedule(models.TextChoices):
    END_OF_GRANT = "end_of_grant", "One report at the end"
    SIX_MONTHLY = "six_monthly", "Six-monthly"
    QUARTERLY = "quarterly", "Quarterly"


class ReturnSize(models.TextChoices):
    LIGHT = "light", "Light: spend, progress against targets and a short narrative"
    STANDARD = "standard", "Standard: adds volunteers"
    FULL = "full", "Full: adds case studies"


# What a council sets on a tier: the fields its page edits and its audit events record.
TIER_FIELDS = [
    "name",
    "order",
    "explanation",
    "active",
    "min_value_pence",
    "max_value_pence",
    "min_duration_months",
    "max_duration_months",
    "when_new_organisation",
    "when_past_red",
    "outcome_kinds",
    "size_bands",
    "schedule",
    "return_size",
    "annual_review_meeting",
    "days_to_report",
]


class MonitoringTier(models.Model):
    """A configurable rule: awards that meet all its conditions get its schedule and return.

    Rules are tried in ``order``; the first whose conditions all hold applies (§4.2).
    Empty conditions match anything.
    """

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.CASCADE, related_name="monitoring_tiers"
    )
    order = models.PositiveIntegerField(default=100)
    name = models.CharField(max_length=120)
    explanation = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    min_value_pence = models.BigIntegerField(null=True, blank=True)
    max_value_pence = models.BigIntegerField(null=True, blank=True)
    min_duration_months = models.PositiveIntegerField(null=True, blank=True)
    max_duration_months = models.PositiveIntegerField(null=True, blank=True)
    when_new_organisation = models.BooleanField(default=False)
    when_past_red = models.BooleanField(default=False)
    outcome_kinds = models.JSONField(default=list, blank=True)
    size_bands = models.JSONField(default=list, blank=True)
    schedule = models.CharField(max_length=20, choices=Schedule.choices)
    return_size = models.CharField(max_length=20, choices=ReturnSize.choices)
    annual_review_meeting = models.BooleanField(default=False)
    days_to_report = models.PositiveIntegerField(default=28)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["council", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        low, high = self.min_value_pence, self.max_value_pence
        if low is not None and high is not None and low >= high:
            errors["max_value_pence"] = "The value up to must be more than the value above"
        shortest, longest = self.min_duration_months, self.max_duration_months
        if shortest is not None and longest is not None and shortest > longest:
            errors["max_duration_months"] = (
                "The longest duration must not be less than the shortest"
            )
        if errors:
            raise ValidationError(errors)

    def conditions(self) -> list[str]:
        """The rule's conditions in words, for the tiers page."""
        facts = []
        for label, value in (
            ("value above", self.min_value_pence),
            ("value up to", self.max_value_pence),
        ):
            if value is not None:
                facts.append(f"{label} {format_pence(value)}")
        if self.min_duration_months is not None:
            facts.append(f"runs at least {self.min_duration_months} months")
        if self.max_duration_months is not None:
            facts.append(f"runs no more than {self.max_duration_months} months")
        if self.when_new_organisation:
            facts.append("organisation new to the council's funding")
        if self.when_past_red:
            facts.append("organisation has had a red rating")
        if self.outcome_kinds:
            facts.append("outcome type: " + ", ".join(self.outcome_kinds))
        if self.size_bands:
            facts.append("organisation size: " + ", ".join(self.size_bands))
        return facts or ["any award"]


class LeadRule(models.TextChoices):
    LARGEST_VALUE = "largest_value", "The directorate funding the most money"
    MOST_AWARDS = "most_awards", "The directorate with the most awards"
    LONGEST_RELATIONSHIP = "longest_relationship", "The directorate that has funded longest"


class MonitoringSettings(models.Model):
    """A council's monitoring choices: how the lead funder is proposed (§4.3)."""

    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="monitoring_settings"
    )
    lead_rule = models.CharField(
        max_length=30, choices=LeadRule.choices, default=LeadRule.LARGEST_VALUE
    )
    reminder_days = models.PositiveIntegerField(default=14)
    escalation_days = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Monitoring settings for {self.council}"

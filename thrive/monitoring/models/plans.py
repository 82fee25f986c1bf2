"""Monitoring plans, the lead funder that co-ordinates them, and visits (§4.2, §4.3)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.monitoring import tiers as tier_rules
from thrive.monitoring.models.tiers import LeadRule, MonitoringTier, ReturnSize, Schedule


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    MERGED = "merged", "Replaced by a consolidated plan"
    CLOSED = "closed", "Closed"


class MonitoringPlan(models.Model):
    """How the awards it covers are monitored: one award, or all of a lead funder's (§4.3)."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="monitoring_plans"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="monitoring_plans"
    )
    awards = models.ManyToManyField("awards.Award", related_name="monitoring_plans")
    lead_directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="led_monitoring_plans"
    )
    consolidated = models.BooleanField(default=False)
    tier = models.ForeignKey(
        MonitoringTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    tier_name = models.CharField(max_length=120, blank=True)
    tier_reason = models.TextField(blank=True)
    schedule = models.CharField(max_length=20, choices=Schedule.choices)
    return_size = models.CharField(max_length=20, choices=ReturnSize.choices)
    annual_review_meeting = models.BooleanField(default=False)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "pk"]
        indexes = [models.Index(fields=["council", "organisation", "status"])]

    def __str__(self) -> str:
        return f"Monitoring plan {self.pk} for {self.organisation}"

    def scope_directorate_ids(self) -> set[int]:
        """Directorates whose awards the plan covers, and its lead (policy scoping)."""
        ids = {self.lead_directorate_id}
        ids.update(a.directorate_id for a in self.awards.all())
        return ids

    def annual_reviews(self) -> list[date]:
        if not self.annual_review_meeting:
            return []
        return tier_rules.annual_review_dates(start=self.start_date, end=self.end_date)


class LeadFunder(models.Model):
    """The directorate appointed to co-ordinate an organisation's monitoring (§4.3)."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="lead_funders"
    )
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="lead_for"
    )
    proposed_directorate = models.ForeignKey(
        "strategy.Directorate", null=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(max_length=30, choices=LeadRule.choices)
    reason = models.TextField(blank=True)
    plan = models.OneToOneField(
        MonitoringPlan, null=True, on_delete=models.SET_NULL, related_name="lead_funder"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appointed_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-appointed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "organisation"],
                condition=Q(active=True),
                name="one_active_lead_funder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.directorate} leads for {self.organisation}"


class VisitKind(models.TextChoices):
    VISIT = "visit", "Monitoring visit"
    INSPECTION = "inspection", "Inspection"
    REVIEW = "review", "Annual review meeting"


class Visit(models.Model):
    """A visit, inspection or review meeting, co-ordinated by the plan's lead (§4.3)."""

    plan = models.ForeignKey(MonitoringPlan, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    planned_for = models.DateField()
    happened_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["planned_for", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.planned_for}"

"""Monitoring: tiers, plans, returns, ratings, the lead funder and visits (§4.2, §4.3)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.opportunities.models import private_storage


class Schedule(models.TextChoices):
    END_OF_GRANT = "end_of_grant", "One report at the end"
    SIX_MONTHLY = "six_monthly", "Six-monthly"
    QUARTERLY = "quarterly", "Quarterly"


class ReturnSize(models.TextChoices):
    LIGHT = "light", "Light: spend, progress against targets and a short narrative"
    STANDARD = "standard", "Standard: adds volunteers"
    FULL = "full", "Full: adds case studies"


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
                from thrive.core.money import format_pence

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
        from thrive.monitoring import tiers  # here, not at the top: keeps start-up quick

        return tiers.annual_review_dates(start=self.start_date, end=self.end_date)


class ReturnStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    ACCEPTED = "accepted", "Accepted"


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ReturnQuerySet(models.QuerySet):
    def open(self) -> ReturnQuerySet:
        return self.filter(status__in=[ReturnStatus.DUE, ReturnStatus.QUERIED])

    def overdue(self, today: date) -> ReturnQuerySet:
        return self.open().filter(due_date__lt=today)


class MonitoringReturn(models.Model):
    """One return for one period of a plan: progress, spend, volunteers, stories (§4.2)."""

    plan = models.ForeignKey(MonitoringPlan, on_delete=models.CASCADE, related_name="returns")
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField()
    final = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DUE)
    spend_pence = models.BigIntegerField(null=True, blank=True)
    volunteers_count = models.PositiveIntegerField(null=True, blank=True)
    volunteer_hours = models.DecimalField(max_digits=10, decimal_places=1, null=True, blank=True)
    case_studies = models.TextField(blank=True)
    narrative = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queried_at = models.DateTimeField(null=True, blank=True)
    query_reason = models.TextField(blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    rating_reason = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="return_period_order"
            ),
            models.CheckConstraint(
                condition=Q(spend_pence__isnull=True) | Q(spend_pence__gte=0),
                name="return_spend_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Return for {self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"

    @property
    def council_id(self) -> int:
        return self.plan.council_id

    def scope_directorate_ids(self) -> set[int]:
        return self.plan.scope_directorate_ids()

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in (ReturnStatus.DUE, ReturnStatus.QUERIED) and self.due_date < today

    @property
    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.due_date


class TargetProgress(models.Model):
    """Progress reported in a return against one of an award's targets."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="progress"
    )
    target = models.ForeignKey(
        "awards.AwardTarget", on_delete=models.PROTECT, related_name="progress"
    )
    achieved_value = models.DecimalField(max_digits=12, decimal_places=2)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["target__award_id", "target__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "target"], name="progress_once_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.achieved_value}"

    @property
    def met(self) -> bool:
        return self.achieved_value >= self.target.target_value


class AwardSpend(models.Model):
    """Spend reported in a return for one of the awards it covers (each funder sees its own)."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="spends"
    )
    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="+")
    spend_pence = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["monitoring_return", "award"], name="spend_once"),
            models.CheckConstraint(condition=Q(spend_pence__gte=0), name="spend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.award}: {self.spend_pence}"


def _attachment_path(instance: ReturnAttachment, filename: str) -> str:
    return f"monitoring/{instance.monitoring_return.plan_id}/{filename}"


class ReturnAttachment(models.Model):
    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", "Reminder before the due date"
    ESCALATION = "escalation", "Escalation when overdue"


class ReturnNotice(models.Model):
    """A reminder or escalation sent for a return; at most one of each per due date."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "kind", "due_date"], name="notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.monitoring_return}"


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

"""Monitoring returns: progress, spend per award, files, and the reminders sent for them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.core.storage import private_storage
from thrive.monitoring.models.plans import MonitoringPlan


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

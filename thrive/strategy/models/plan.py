"""The annual action plan (§5.1)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from thrive.strategy import sections
from thrive.strategy.models.pots import FinancialYear


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


OVERDUE = "overdue"
PROGRESS_LABELS = {
    ActionStatus.NOT_STARTED.value: "Not started",
    ActionStatus.IN_PROGRESS.value: "In progress",
    ActionStatus.DONE.value: "Done",
    OVERDUE: "Overdue",
}


class PlanActionQuerySet(models.QuerySet):
    def for_council(self, council_id: int | None) -> PlanActionQuerySet:
        return self.filter(council_id=council_id)

    def overdue(self, today: date | None = None) -> PlanActionQuerySet:
        """Not done and past the due date."""
        today = today or timezone.localdate()
        return self.exclude(status=ActionStatus.DONE).filter(due_date__lt=today)


class PlanAction(models.Model):
    """One action of a council's annual action plan, serving a section of the strategy."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="plan_actions"
    )
    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="plan_actions"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    section = models.CharField("strategy section", max_length=10)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    owner_team = models.CharField("owning team", max_length=200, blank=True)
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["council", "financial_year", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != ActionStatus.DONE and self.due_date < today

    def progress_status(self, today: date | None = None) -> str:
        """The status shown on the plan: overdue takes the place of not started/in progress."""
        return OVERDUE if self.is_overdue(today) else self.status

    @property
    def section_label(self) -> str:
        return sections.section_label(self.section)

    @property
    def owner_label(self) -> str:
        person = self.owner.get_full_name() or self.owner.username if self.owner_id else ""
        return " – ".join(part for part in (person, self.owner_team) if part)

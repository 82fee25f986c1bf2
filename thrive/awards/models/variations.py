"""Changes to an active award's value or end date, or its termination, each decided by a
second officer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from thrive.awards.models.award import Award


class VariationKind(models.TextChoices):
    VALUE = "value", "Change to value"
    END_DATE = "end_date", "Change to end date"
    TERMINATION = "termination", "Termination"


class VariationStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Variation(models.Model):
    """A requested change to an award's value or end date, or its termination, with the
    decision of a second officer."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="variations")
    kind = models.CharField(max_length=20, choices=VariationKind.choices)
    old_amount_pence = models.BigIntegerField(null=True, blank=True)
    new_amount_pence = models.BigIntegerField(null=True, blank=True)
    old_end_date = models.DateField(null=True, blank=True)
    new_end_date = models.DateField(null=True, blank=True)
    notice_given_on = models.DateField(
        null=True, blank=True, help_text="For a termination: the day notice was given."
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=VariationStatus.choices, default=VariationStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["award", "-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.award}"

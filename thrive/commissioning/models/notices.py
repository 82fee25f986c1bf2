"""Decommissioning notices to funded organisations (§2.4, the Compact)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from thrive.commissioning.models.intentions import PUBLIC_STATUSES, Intention

# A notice links to the intention's public page, so it goes only once that page exists.
NOTICE_STATUSES = PUBLIC_STATUSES


class DecommissioningNotice(models.Model):
    """Notice to an organisation that its funded service will no longer be prioritised."""

    intention = models.ForeignKey(Intention, on_delete=models.PROTECT, related_name="notices")
    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField()
    funding_ends_on = models.DateField()
    notice_due_by = models.DateField(help_text="The last day to give the Compact's notice")
    is_late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_to = models.JSONField(default=list, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["intention", "award"], name="one_notice_per_award")
        ]

    def __str__(self) -> str:
        return f"Notice to {self.organisation} about {self.award}"

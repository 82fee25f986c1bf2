"""Talking with organisations about an opportunity: invitations to quote, clarification
questions, and alert choices with the alerts sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from thrive.opportunities.models.opportunity import Opportunity


class QuoteInvitation(models.Model):
    """A named organisation invited to quote or bid (§4.1); it sees what everyone sees."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="quote_invitations"
    )
    note = models.TextField(blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"], name="quote_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} invited to {self.opportunity.reference}"

    def audit_label(self) -> str:
        return f"Invitation to quote #{self.pk}"


class ClarificationQuerySet(models.QuerySet):
    def published(self) -> ClarificationQuerySet:
        return self.filter(published_at__isnull=False)


class Clarification(models.Model):
    """A question asked by an applicant; the answer is published to all, without the asker."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="clarifications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    published_question = models.TextField(
        blank=True, help_text="The question as published, with anything identifying removed."
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ClarificationQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"Question {self.pk} on {self.opportunity_id}"

    def audit_label(self) -> str:
        return f"Clarification #{self.pk}"


class AlertPreference(models.Model):
    """An organisation's choice of opportunity alerts by outcome, area and kind (§4.1)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="alert_preference"
    )
    is_active = models.BooleanField("send me alerts", default=True)
    kinds = models.JSONField(default=list, blank=True)
    outcomes = models.ManyToManyField("strategy.Outcome", blank=True, related_name="+")
    areas = models.ManyToManyField("core.Area", blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Alerts for {self.organisation}"


class AlertSent(models.Model):
    """One alert per organisation per opportunity, however often the task runs."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation"], name="alert_once")
        ]

    def __str__(self) -> str:
        return f"Alert about {self.opportunity_id} to {self.organisation_id}"

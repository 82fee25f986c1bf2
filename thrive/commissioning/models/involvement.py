"""Involving the Third Sector: consultations and soft market testing (§1.5, §2.1)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.commissioning.models.intentions import Intention


class Consultation(models.Model):
    """A draft set of priorities or a draft intention opened for consultation (§1.5, §2.1)."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="consultations"
    )
    intention = models.ForeignKey(
        Intention, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="The draft priorities or intention, in plain words")
    opens_on = models.DateField()
    closes_on = models.DateField()
    short_reason = models.TextField(
        blank=True, help_text="Why the consultation is shorter than the Compact's twelve weeks"
    )
    summary = models.TextField(blank=True)
    you_said_we_did = models.TextField("you said, we did", blank=True)
    summary_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")), name="consultation_closes_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def has_closed(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on


class ConsultationResponse(models.Model):
    """An organisation's response to a consultation, changeable until it closes."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="one_response_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.consultation}"


class SoftMarketTest(models.Model):
    """A questionnaire to providers on how outcomes might be delivered, without commitment."""

    intention = models.ForeignKey(Intention, on_delete=models.CASCADE, related_name="market_tests")
    questions = models.TextField(help_text="One question a line")
    closes_on = models.DateField()
    invited = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+")
    findings = models.TextField(blank=True)
    no_commercial_market = models.BooleanField(
        "soft market testing found no commercial market", null=True, blank=True
    )
    findings_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Soft market test for {self.intention.reference}"

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]

    def is_open(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) <= self.closes_on


class SoftMarketResponse(models.Model):
    test = models.ForeignKey(SoftMarketTest, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=list, blank=True)
    interested = models.BooleanField("might deliver this", default=False)
    is_commercial = models.BooleanField("a commercial (for-profit) provider", default=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["test", "organisation"], name="one_market_response_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.test}"

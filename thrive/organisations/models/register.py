"""The register's housekeeping: requests to join, duplicate candidates, charity checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.organisations.models.organisation import Organisation


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class JoinRequest(models.Model):
    """A person asks to join an organisation already on the register; an admin decides."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.organisation}"


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    MERGED = "merged", "Merged"
    NOT_DUPLICATE = "not_duplicate", "Not a duplicate"


class DuplicateCandidateQuerySet(models.QuerySet):
    def open(self) -> DuplicateCandidateQuerySet:
        return self.filter(status=CandidateStatus.OPEN)


class DuplicateCandidate(models.Model):
    """A pair of records that may be one organisation, with a score, for staff to review."""

    first = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(help_text="Name similarity, 0 to 100")
    reasons = models.CharField(max_length=255)
    status = models.CharField(
        max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first} / {self.second} ({self.score})"


class RegisterStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    REMOVED = "removed", "Removed from the register"
    NOT_FOUND = "not_found", "Not on the register"


class CharityRegisterCheck(models.Model):
    """What the Charity Commission's register extract says of one charity number we hold.

    Written by ``thrive import charity-register``; flagged when the charity has been
    removed, is not on the register, or is registered under another name.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="register_checks"
    )
    charity_number = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=RegisterStatus.choices)
    register_name = models.CharField(max_length=500, blank=True)
    registered_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True)
    latest_income_pence = models.BigIntegerField(null=True, blank=True)
    income_period_end = models.DateField(null=True, blank=True)
    name_differs = models.BooleanField(default=False)
    extract_date = models.DateField(null=True, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["charity_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "charity_number"], name="register_check_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.charity_number}: {self.get_status_display()}"

    @property
    def flagged(self) -> bool:
        return self.status != RegisterStatus.REGISTERED or self.name_differs

"""Process feedback from applicants (§5.2): how clear, proportionate and fair it was."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
LOW_SCORE = 2.5  # an average at or below this is a concern in the annual report


class ProcessFeedback(models.Model):
    """One rating per application, given by the applicant after the decision.

    Directorate, council and the kind of opportunity are copied from the application so
    the results can be grouped without joining through applications and opportunities.
    """

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="process_feedback"
    )
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(
        "strategy.Directorate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opportunity_kind = models.CharField(max_length=20)
    clarity = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    proportionality = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    fairness = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["council", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(clarity__gte=1, clarity__lte=5)
                & Q(proportionality__gte=1, proportionality__lte=5)
                & Q(fairness__gte=1, fairness__lte=5),
                name="process_feedback_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.application}"

    def audit_label(self) -> str:
        return f"Process feedback #{self.pk}"


class FiguresVersion(models.Model):
    """How many times what a council's reports count has changed: kept figures made at an
    older version are never shown (``thrive.reporting.kept``). Monitoring records and the
    sector survey are counted apart from the rest (awards, names, organisations), and so are
    other publishers' imported grants and contracts, so a figure that does not count them
    is not made again when they change."""

    council = models.OneToOneField(
        "accounts.Council", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.BigIntegerField(default=0)
    monitoring_version = models.BigIntegerField(default=0)
    survey_version = models.BigIntegerField(default=0)
    open_data_version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Figures of council #{self.council_id} at version {self.version}"


class KeptFigures(models.Model):
    """Report figures worked out once and served again while their council's version and
    the day are the ones they were made at (a cache, shared by every process)."""

    council = models.ForeignKey("accounts.Council", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    version = models.BigIntegerField()
    data = models.JSONField()
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "key"], name="kept_figures_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} of council #{self.council_id}"

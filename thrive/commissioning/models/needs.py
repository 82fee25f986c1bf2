"""Identified needs and the evidence behind them (§2.2, §2.3)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EvidenceSource(models.TextChoices):
    """How needs are identified (§2.2)."""

    STATISTICS = "statistics", "Statistical returns and demographic data"
    EQUALITY_IMPACT = "equality_impact", "Equality impact assessment"
    PERFORMANCE = "performance", "Performance against key performance indicators"
    USER_FEEDBACK = "user_feedback", "Service user feedback and satisfaction"
    PARTNERSHIPS = "partnerships", "Feedback from strategic and themed partnerships"
    REVIEWS = "reviews", "Working groups or service reviews"
    PROVIDER_FORA = "provider_fora", "Current provider fora"
    LOCAL_PEOPLE = "local_people", "Input from local people and service users"
    RESEARCH = "research", "Research and mapping"
    INSPECTION = "inspection", "Regulatory or inspection reports"
    GOVERNMENT = "government", "Central government guidance"


class NeedQuerySet(models.QuerySet):
    def for_council(self, council_id: int | None) -> NeedQuerySet:
        return self.filter(council_id=council_id)


class Need(models.Model):
    """An identified need (§2.2), scored on the §2.3 factors for prioritisation."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="needs"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="needs")
    groups = models.ManyToManyField("core.BeneficiaryGroup", related_name="needs")
    outcomes = models.ManyToManyField("strategy.Outcome", related_name="needs")
    statutory = models.BooleanField("statutory requirement", default=False)
    statutory_basis = models.CharField(max_length=255, blank=True)
    equality_gap = models.PositiveSmallIntegerField(default=0)
    geographic_gap = models.PositiveSmallIntegerField(default=0)
    activity_elsewhere = models.PositiveSmallIntegerField(default=0)
    budget = models.PositiveSmallIntegerField(default=0)
    user_involvement = models.PositiveSmallIntegerField(default=0)
    preventative = models.PositiveSmallIntegerField(default=0)
    score_notes = models.JSONField(default=dict, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-statutory", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(equality_gap__lte=3)
                & Q(geographic_gap__lte=3)
                & Q(activity_elsewhere__lte=3)
                & Q(budget__lte=3)
                & Q(user_involvement__lte=3)
                & Q(preventative__lte=3),
                name="need_scores_0_to_3",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceItem(models.Model):
    """A piece of evidence for a need, typed by its §2.2 source, with a link or a file."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=30, choices=EvidenceSource.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    url = models.URLField("link", blank=True, max_length=500)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(
        "file name", max_length=255, blank=True, help_text="The attached file's name as uploaded"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="evidence_has_link_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        """The attached file's own name, never the path it is stored under."""
        if not self.file:
            return ""
        return self.original_name or PurePosixPath(self.file.name).name

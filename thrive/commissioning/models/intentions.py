"""Commissioning intentions and their equality impact assessments (§2.4, §4.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.commissioning.models.needs import Need


class IntentionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ASSESSED = "assessed", "Impact assessed"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    COMMISSIONED = "commissioned", "Commissioned"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Direction(models.TextChoices):
    """What the intention says to providers (§2.4): new, refocused or no longer prioritised."""

    NEW = "new", "New service sought"
    REFOCUSED = "refocused", "Refocused service sought"
    CONTINUING = "continuing", "Continuing service"
    DECOMMISSIONING = "decommissioning", "No longer prioritised"


PUBLIC_STATUSES = (IntentionStatus.PUBLISHED, IntentionStatus.COMMISSIONED)


class IntentionQuerySet(models.QuerySet):
    def for_council(self, council_id: int | None) -> IntentionQuerySet:
        return self.filter(council_id=council_id)

    def published(self) -> IntentionQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)

    def live(self) -> IntentionQuerySet:
        return self.exclude(status=IntentionStatus.WITHDRAWN)


class Intention(models.Model):
    """A directorate's commissioning intention (§2.4): specification, method, budget, timeline."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    directorate = models.ForeignKey(
        "strategy.Directorate",
        on_delete=models.PROTECT,
        related_name="intentions",
        help_text="For a joint intention, the lead directorate",
    )
    partner_directorates = models.ManyToManyField(
        "strategy.Directorate", blank=True, related_name="joint_intentions"
    )
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    direction = models.CharField(max_length=20, choices=Direction.choices, default=Direction.NEW)
    status = models.CharField(
        max_length=20, choices=IntentionStatus.choices, default=IntentionStatus.DRAFT
    )
    needs = models.ManyToManyField(Need, blank=True, related_name="intentions")
    outcomes = models.ManyToManyField("strategy.Outcome", related_name="intentions")
    stopped_outcomes = models.ManyToManyField(
        "strategy.Outcome",
        blank=True,
        related_name="+",
        help_text="Outcomes no longer prioritised by this intention",
    )
    # The specification, in the standard format (§2.5).
    aims = models.TextField(blank=True)
    outcomes_sought = models.TextField("outcomes sought", blank=True)
    target_group = models.TextField("target group", blank=True)
    groups = models.ManyToManyField("core.BeneficiaryGroup", blank=True, related_name="+")
    areas = models.ManyToManyField("core.Area", blank=True, related_name="+")
    activities = models.TextField(blank=True)
    quality_standards = models.TextField("quality standards", blank=True)
    monitoring = models.TextField(blank=True)
    # Money and time.
    budget_pence = models.BigIntegerField(default=0)
    pot = models.ForeignKey(
        "strategy.FundingPot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_start = models.DateField(null=True, blank=True)
    service_end = models.DateField(null=True, blank=True)
    procurement_start = models.DateField(null=True, blank=True)
    short_term_justification = models.TextField(blank=True)
    # Decisions and publication.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    combined_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="combined_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IntentionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_pence__gte=0), name="intention_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(service_end__isnull=True)
                | Q(service_start__isnull=True)
                | Q(service_end__gt=models.F("service_start")),
                name="intention_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def scope_directorate_ids(self) -> set[int]:
        """The lead and partner directorates; the policy lets their commissioners work on it."""
        ids = {self.directorate_id}
        if self.pk:
            ids |= {d.pk for d in self.partner_directorates.all()}
        return ids

    @property
    def term_months(self) -> int | None:
        if not (self.service_start and self.service_end):
            return None
        start, end = self.service_start, self.service_end
        months = (end.year - start.year) * 12 + (end.month - start.month)
        if end.day >= start.day - 1:
            months += 1 if end.day >= start.day else 0
        return months

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.published_at is not None

    @property
    def is_joint(self) -> bool:
        return self.partner_directorates.exists()


class Impact(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class EqualityAssessment(models.Model):
    """The equality impact assessment of an intention (§2.4): required before publishing."""

    intention = models.OneToOneField(Intention, on_delete=models.CASCADE, related_name="eqia")
    summary = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Equality impact assessment of {self.intention.reference}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class CharacteristicImpact(models.Model):
    """The impact on one protected characteristic, with mitigation of any negative impact."""

    assessment = models.ForeignKey(
        EqualityAssessment, on_delete=models.CASCADE, related_name="impacts"
    )
    characteristic = models.ForeignKey(
        "core.BeneficiaryGroup", on_delete=models.PROTECT, related_name="+"
    )
    impact = models.CharField(max_length=10, choices=Impact.choices)
    evidence = models.TextField(blank=True)
    mitigation = models.TextField(blank=True)

    class Meta:
        ordering = ["characteristic__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "characteristic"], name="one_impact_per_characteristic"
            ),
            models.CheckConstraint(
                condition=~Q(impact="negative") | ~Q(mitigation=""),
                name="negative_impact_has_mitigation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.get_impact_display()}"

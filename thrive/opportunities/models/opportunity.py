"""The opportunity itself: its kinds, states and deadlines (§4.1).

An opportunity says what is on offer (lots, value), how it will be judged (criteria and
weights shown to everyone), when (opens, clarification deadline, closes, decision
expected) and how the process runs. Deadlines are exact instants judged in Europe/London.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.core.dates import format_deadline


class OpportunityKind(models.TextChoices):
    SMALL_GRANTS = "small_grants", "Small grants"
    GRANT_ROUND = "grant_round", "Grant round (funding agreement)"
    RFQ = "rfq", "Request for quotations"
    TENDER = "tender", "Tender"


SEALED_KINDS = (OpportunityKind.RFQ, OpportunityKind.TENDER)


def kind_is_sealed(kind: str) -> bool:
    """Whether publishing an opportunity of this kind seals its bids (quotations and tenders).

    Only the publish service (and the draft it publishes) asks this; afterwards the stored
    ``Opportunity.sealed`` is the fact, whatever happens to ``kind``.
    """
    return kind in SEALED_KINDS


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class OpportunityQuerySet(models.QuerySet):
    def published(self) -> OpportunityQuerySet:
        """Published (not draft or cancelled) opportunities whose advert has started."""
        return self.filter(status=OpportunityStatus.PUBLISHED)

    def open_at(self, now: datetime) -> OpportunityQuerySet:
        """Taking applications at ``now``: opened, and not closed (rolling ones never close)."""
        return (
            self.published()
            .filter(opens_at__lte=now)
            .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        )

    def for_council(self, council_id: int | None) -> OpportunityQuerySet:
        return self.filter(council_id=council_id)


class Opportunity(models.Model):
    """An advertised chance to apply or bid, with everything every applicant sees alike."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="opportunities"
    )
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="opportunities"
    )
    intention = models.ForeignKey(
        "commissioning.Intention",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        help_text="The decided commissioning intention this opportunity carries out.",
    )
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two sentences for lists, feeds and alerts.")
    description = models.TextField(blank=True)
    process = models.TextField(
        "how the process works",
        blank=True,
        help_text="A plain description of the process and its timescales (§4.1).",
    )
    kind = models.CharField(max_length=20, choices=OpportunityKind.choices)
    status = models.CharField(
        max_length=20, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT
    )
    sealed = models.BooleanField(
        "sealed bids",
        default=False,
        editable=False,
        help_text="Fixed when the opportunity is published: bids stay unread until the deadline "
        "and a recorded opening. No form, API or admin page changes it.",
    )
    outcomes = models.ManyToManyField("strategy.Outcome", blank=True, related_name="+")
    areas = models.ManyToManyField("core.Area", blank=True, related_name="+")
    value_pence = models.BigIntegerField("total value", default=0)
    max_award_pence = models.BigIntegerField(
        null=True, blank=True, help_text="The most any one applicant may ask for."
    )
    form_template = models.ForeignKey(
        "questions.FormTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    clarification_deadline = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty only for a rolling small grants scheme."
    )
    decision_expected = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closes_at", "pk"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(value_pence__gte=0), name="opportunity_value_ok"),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="opportunity_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def audit_label(self) -> str:
        return f"Opportunity {self.reference}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing time must be after the opening time"
        deadline, closes = self.clarification_deadline, self.closes_at
        if deadline and closes and deadline >= closes:
            errors["clarification_deadline"] = (
                "The clarification deadline must be before the closing time"
            )
        if self.closes_at is None and self.kind and self.kind != OpportunityKind.SMALL_GRANTS:
            errors["closes_at"] = "Enter the closing date and time"
        if self.max_award_pence is not None and self.max_award_pence <= 0:
            errors["max_award_pence"] = "The most an applicant may ask for must be more than £0"
        if errors:
            raise ValidationError(errors)

    @property
    def is_sealed(self) -> bool:
        """Bids are sealed until the deadline and a recorded opening (fixed at publication)."""
        return self.sealed

    @property
    def is_rolling(self) -> bool:
        return self.closes_at is None

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.status != OpportunityStatus.PUBLISHED or not self.opens_at:
            return False
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def has_closed(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closes_at is not None and now >= self.closes_at

    def clarifications_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        deadline = self.clarification_deadline or self.closes_at
        return self.is_open(now) and (deadline is None or now < deadline)

    @property
    def closes_display(self) -> str:
        return format_deadline(self.closes_at) if self.closes_at else "Open all year (rolling)"

    @property
    def weights_total(self) -> int:
        return sum(c.weight for c in self.criteria.all())

    def weight_problems(self) -> list[str]:
        """Each lot's weights (criteria of the lot and of the whole opportunity) add up to 100."""
        return weight_problems(list(self.criteria.all()), list(self.lots.all()))


def weight_problems(criteria: list, lots: list) -> list[str]:
    """Say which lot's weights do not add up to 100 (gates carry no weight)."""
    weighted = [c for c in criteria if not c.is_gate]
    if not weighted:
        return []
    shared = sum(c.weight for c in weighted if c.lot_id is None)
    if not lots:
        total = sum(c.weight for c in weighted)
        return (
            []
            if total == 100
            else [f"The criteria weights must add up to 100% (they add up to {total}%)"]
        )
    problems = []
    for lot in lots:
        total = shared + sum(c.weight for c in weighted if c.lot_id == lot.pk)
        if total != 100:
            problems.append(
                f"The criteria weights for lot {lot.number} must add up to 100% "
                f"(they add up to {total}%)"
            )
    return problems

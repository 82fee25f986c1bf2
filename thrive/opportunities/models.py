"""Published opportunities: small grants, grant rounds, quotations and tenders (§4.1, §4.4).

An opportunity says what is on offer (lots, value), how it will be judged (criteria and
weights shown to everyone), when (opens, clarification deadline, closes, decision
expected) and how the process runs. Deadlines are exact instants judged in Europe/London.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private, with no URL: served only by permission-checked views."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return os.path.join(settings.MEDIA_ROOT, "private")

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def format_deadline(moment: datetime | None) -> str:
    """An instant as people in Britain read it: '5:00pm on Friday 4 December 2026'."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    elif local.hour == 0 and local.minute == 0:
        clock = "midnight"
    else:
        clock = f"{hour}:{local.minute:02d}{suffix}"
        if local.second:
            clock = f"{hour}:{local.minute:02d}:{local.second:02d}{suffix}"
    return f"{clock} on {local:%A} {local.day} {local:%B %Y} (UK time)"


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
        "applications.FormTemplate",
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


class Lot(models.Model):
    """A part of a tender or round that can be bid for separately (§4.4, levelling the field)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    value_pence = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="lot_number_unique"),
            models.CheckConstraint(condition=Q(value_pence__gte=0), name="lot_value_ok"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"


class CriterionKind(models.TextChoices):
    QUALITY = "quality", "Quality"
    PRICE = "price", "Price"
    SOCIAL_VALUE = "social_value", "Social value"
    ENVIRONMENTAL = "environmental", "Environmental"
    LOCAL_BENEFIT = "local_benefit", "Local benefit"
    LOCAL_SUBCONTRACTING = "local_subcontracting", "Local sub-contracting"


class PriceFormula(models.TextChoices):
    LOWEST_PRICE = "lowest_price", "Lowest price ÷ bid price × weight"
    RELATIVE_TO_BUDGET = (
        "relative_to_budget",
        "Weight × (1 − (bid price − lowest price) ÷ budget), never below 0",
    )


DEFAULT_SCALE: list[dict] = [
    {"score": 0, "descriptor": "Unacceptable: no answer, or the answer does not meet the need"},
    {"score": 1, "descriptor": "Poor: major gaps or risks"},
    {"score": 2, "descriptor": "Weak: meets some of the need, with significant gaps"},
    {"score": 3, "descriptor": "Satisfactory: meets the need with minor gaps"},
    {"score": 4, "descriptor": "Good: meets the need fully, with some evidence"},
    {
        "score": 5,
        "descriptor": "Excellent: meets the need fully, with strong evidence and added value",
    },
]


class Criterion(models.Model):
    """An evaluation criterion and its weight in per cent, shown to every applicant (§4.4).

    A criterion belongs to the whole opportunity (``lot`` empty: it applies to every lot) or to
    one lot; the weights that apply to each lot add up to 100. A gate is pass or fail and
    carries no weight. Price is not scored by assessors: ``price_formula`` turns the bids'
    prices into marks. ``scale`` holds the scores and their descriptors (empty: 0 to 5).
    """

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="criteria")
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="criteria",
        help_text="Leave empty when the criterion applies to every lot.",
    )
    kind = models.CharField(
        max_length=30, choices=CriterionKind.choices, default=CriterionKind.QUALITY
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(help_text="Per cent; the weights add up to 100.")
    is_gate = models.BooleanField(
        "pass or fail", default=False, help_text="A gate is passed or failed and has no weight."
    )
    scale = models.JSONField(
        default=list, blank=True, help_text="Scores and descriptors; empty for the 0 to 5 scale."
    )
    price_formula = models.CharField(
        max_length=30, choices=PriceFormula.choices, default=PriceFormula.LOWEST_PRICE
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100), name="criterion_weight_ok"
            )
        ]

    def __str__(self) -> str:
        if self.is_gate:
            return f"{self.title} (pass or fail)"
        return f"{self.title} ({self.weight}%)"

    def clean(self) -> None:
        if self.is_gate and self.weight:
            raise ValidationError({"weight": "A pass or fail gate has no weight: enter 0"})
        if self.is_gate and self.kind == CriterionKind.PRICE:
            raise ValidationError({"is_gate": "Price cannot be a pass or fail gate"})
        if not self.is_gate and not self.weight:
            raise ValidationError({"weight": "Enter a weight of more than 0, or make it a gate"})
        if self.lot_id and self.lot.opportunity_id != self.opportunity_id:
            raise ValidationError({"lot": "Choose a lot of this opportunity"})

    @property
    def is_price(self) -> bool:
        return self.kind == CriterionKind.PRICE

    @property
    def scale_points(self) -> list[dict]:
        """The scores an assessor chooses from, lowest first, each with its descriptor."""
        points = self.scale or DEFAULT_SCALE
        return sorted(points, key=lambda p: p["score"])

    @property
    def max_score(self) -> int:
        return max(p["score"] for p in self.scale_points)


def _document_path(instance: Document, filename: str) -> str:
    return f"opportunities/{instance.opportunity_id}/{filename}"


class Document(models.Model):
    """A document every applicant reads: specification, terms, guidance."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path, storage=private_storage, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


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


class Amendment(models.Model):
    """A published change to a published opportunity's terms, with its reason (§4.1).

    ``changes`` maps each changed field to its label and its value before and after, as
    applicants read them. Amendments are never edited or deleted.
    """

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField()
    changes = models.JSONField(default=dict)
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "number"], name="amendment_number_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_reason_given"),
        ]

    def __str__(self) -> str:
        return f"Amendment {self.number} to {self.opportunity.reference}"

    def audit_label(self) -> str:
        return f"Amendment #{self.pk}"

    @property
    def summary(self) -> str:
        """The changes in one line: 'Closing: 5:00pm on … → 5:00pm on …'."""
        return "; ".join(
            f"{c['label']}: {c['before']} → {c['after']}" for c in self.changes.values()
        )


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

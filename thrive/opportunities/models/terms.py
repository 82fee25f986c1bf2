"""An opportunity's terms: lots, criteria and weights, documents, and the amendments that
change them once published (§4.4)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.core.storage import private_storage
from thrive.opportunities.models.opportunity import Opportunity


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

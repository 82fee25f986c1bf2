"""Financial years, funding pots, contributions, merges and commitments (§2.4, §5.3)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from thrive.strategy.models.framework import Directorate, Outcome


class FinancialYear(models.Model):
    """A financial year, 1 April to 31 March; named by its first calendar year."""

    start_year = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def starts_on(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @staticmethod
    def start_year_for(day: date) -> int:
        """The financial year a day falls in: April to March."""
        return day.year if day.month >= 4 else day.year - 1


class PotKind(models.TextChoices):
    DIRECTORATE = "directorate", "Directorate pot"
    RING_FENCED = "ring_fenced", "Ring-fenced corporate pot"
    MERGED = "merged", "Merged pot"
    POOLED = "pooled", "Pooled budget"
    ALIGNED = "aligned", "Aligned budget"


SHARED_KINDS = frozenset({PotKind.POOLED, PotKind.ALIGNED})
CORPORATE_KINDS = frozenset({PotKind.RING_FENCED, PotKind.MERGED})


class FundingPotQuerySet(models.QuerySet):
    def for_council(self, council_id: int | None) -> FundingPotQuerySet:
        return self.filter(council_id=council_id)

    def open(self) -> FundingPotQuerySet:
        return self.filter(merged_into__isnull=True)

    def with_remaining(self) -> FundingPotQuerySet:
        return self.annotate(remaining=F("budget_pence") - F("committed_pence"))


class FundingPot(models.Model):
    """Money for the Third Sector in one financial year. Committed can never pass budget.

    ``committed_pence`` is the running total of commitments, changed only by
    ``services.commit_budget``/``release_commitment`` under a row lock; the check
    constraint makes over-commitment impossible even for a writer that skips the lock.
    """

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="pots")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PotKind.choices, default=PotKind.DIRECTORATE)
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.PROTECT,
        related_name="pots",
        help_text="The owning directorate; for pooled and aligned pots, the lead.",
    )
    financial_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="pots")
    description = models.TextField(blank=True)
    budget_pence = models.BigIntegerField(default=0)
    committed_pence = models.BigIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="former_pots"
    )
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="pots")
    created_at = models.DateTimeField(default=timezone.now)

    objects = FundingPotQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year__start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_pence__gte=0), name="pot_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(committed_pence__gte=0), name="pot_committed_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(committed_pence__lte=F("budget_pence")),
                name="pot_never_over_committed",
            ),
            models.UniqueConstraint(
                fields=["council", "financial_year", "name"], name="pot_name_unique_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.financial_year})"

    @property
    def remaining_pence(self) -> int:
        return self.budget_pence - self.committed_pence

    @property
    def is_shared(self) -> bool:
        return self.kind in SHARED_KINDS


class PotContribution(models.Model):
    """Money put into a pooled or aligned pot by a directorate or an outside partner (§5.3)."""

    pot = models.ForeignKey(FundingPot, on_delete=models.PROTECT, related_name="contributions")
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner_name = models.CharField(
        max_length=200, blank=True, help_text="A partner outside the council, like the NHS board"
    )
    amount_pence = models.BigIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0), name="contribution_amount_positive"
            ),
            models.CheckConstraint(
                condition=(Q(directorate__isnull=False) & Q(partner_name=""))
                | (Q(directorate__isnull=True) & ~Q(partner_name="")),
                name="contribution_has_one_contributor",
            ),
        ]

    def __str__(self) -> str:
        return self.contributor

    @property
    def contributor(self) -> str:
        return str(self.directorate) if self.directorate_id else self.partner_name


class PotMerge(models.Model):
    """The record of former pots merged into one (§2.4), with who decided and why."""

    merged_pot = models.OneToOneField(FundingPot, on_delete=models.PROTECT, related_name="merge")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    carried_pence = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Merge into {self.merged_pot}"


class BudgetCommitment(models.Model):
    """Money set aside from a pot for an award or other purpose; released, never deleted."""

    pot = models.ForeignKey(FundingPot, on_delete=models.PROTECT, related_name="commitments")
    amount_pence = models.BigIntegerField()
    description = models.CharField(max_length=255)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-committed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0), name="commitment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_active(self) -> bool:
        return self.released_at is None

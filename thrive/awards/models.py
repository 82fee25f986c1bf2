"""Awards: small grants, funding agreements and contracts (§2.7–§2.10).

An award is made as a DRAFT while the commissioner sets its terms, OFFERED when the
award letter is issued, and ACTIVE once the provider accepts (or at once for a small
grant). Its money is committed against a funding pot, never past the pot's budget.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AwardKind(models.TextChoices):
    SMALL_GRANT = "small_grant", "Small grant"
    FUNDING_AGREEMENT = "funding_agreement", "Funding agreement"
    CONTRACT = "contract", "Contract"


class AwardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OFFERED = "offered", "Offered"
    DECLINED = "declined", "Declined"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    TERMINATED = "terminated", "Ended early"


FUNDED_STATUSES = (AwardStatus.ACTIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED)


class PaymentTiming(models.TextChoices):
    ADVANCE = "advance", "In advance"
    ARREARS = "arrears", "In arrears"


class AwardQuerySet(models.QuerySet):
    def funded(self) -> AwardQuerySet:
        """Awards that are or were money paid to the organisation."""
        return self.filter(status__in=FUNDED_STATUSES)

    def for_council(self, council_id: int | None) -> AwardQuerySet:
        return self.filter(council_id=council_id)


class Award(models.Model):
    """Money a council has awarded to an organisation by one method, over a period."""

    reference = models.CharField(
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        help_text="Set when the award is saved, like AW-2026-00042.",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="awards"
    )
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="awards")
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="awards"
    )
    kind = models.CharField(max_length=20, choices=AwardKind.choices)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    amount_pence = models.BigIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    pot = models.ForeignKey(
        "strategy.FundingPot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    commitment = models.OneToOneField(
        "strategy.BudgetCommitment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    application = models.OneToOneField(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    lot = models.ForeignKey(
        "opportunities.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    outcomes = models.ManyToManyField("strategy.Outcome", blank=True, related_name="awards")
    payment_timing = models.CharField(
        max_length=10, choices=PaymentTiming.choices, default=PaymentTiming.ADVANCE
    )
    conditions = models.TextField(blank=True)
    short_term_reason = models.TextField(
        blank=True,
        help_text="Why a funding agreement or contract is shorter than three years (§2.10).",
    )
    notice_period_days = models.PositiveIntegerField(default=90)
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_name = models.CharField(
        max_length=200, blank=True, help_text="The name typed by the person who accepted."
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [
            models.Index(fields=["organisation", "council"]),
            models.Index(fields=["council", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="award_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.pk is None:
            self._forget_what_a_copy_cannot_share()
        super().save(*args, **kwargs)
        if not self.reference:
            self.reference = make_reference(self)
            type(self).objects.filter(pk=self.pk).update(reference=self.reference)

    def _forget_what_a_copy_cannot_share(self) -> None:
        """A copy of another award gets a reference of its own, and neither the
        original's budget commitment nor its application."""
        others = type(self).objects
        if self.reference and others.filter(reference=self.reference).exists():
            self.reference = None
        if self.commitment_id and others.filter(commitment_id=self.commitment_id).exists():
            self.commitment = None
        if self.application_id and others.filter(application_id=self.application_id).exists():
            self.application = None

    def audit_label(self) -> str:
        return f"{self.reference or 'Award'}: {self.title}"

    def clean(self) -> None:
        if (
            self.directorate_id
            and self.council_id
            and self.directorate.council_id != self.council_id
        ):
            raise ValidationError({"directorate": "Choose a directorate of the awarding council"})

    @property
    def is_small_grant(self) -> bool:
        return self.kind == AwardKind.SMALL_GRANT

    @property
    def is_short_term(self) -> bool:
        """A funding agreement or contract of less than three years (§2.10)."""
        return not self.is_small_grant and is_shorter_than_three_years(
            self.start_date, self.end_date
        )

    @property
    def letter_title(self) -> str:
        return {
            AwardKind.SMALL_GRANT: "Small grant offer letter",
            AwardKind.FUNDING_AGREEMENT: "Funding agreement",
            AwardKind.CONTRACT: "Contract award letter",
        }.get(self.kind, "Award letter")


def make_reference(award: Award) -> str:
    """``AW-<year>-<number>``: the year the award was made and its unique number."""
    year = (award.created_at or timezone.now()).year
    return f"AW-{year}-{award.pk:05d}"


def three_years_after(start: date) -> date:
    try:
        return start.replace(year=start.year + 3)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 3, day=28)


def is_shorter_than_three_years(start: date, end: date) -> bool:
    """True when the term from ``start`` to ``end`` inclusive is under three years."""
    return end < three_years_after(start) - timedelta(days=1)


class AwardTarget(models.Model):
    """A measurable target the provider agrees to, tied to an outcome where there is one."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="targets")
    outcome = models.ForeignKey(
        "strategy.Outcome", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=255)
    unit = models.CharField(max_length=50, blank=True, help_text="For example people, sessions")
    target_value = models.DecimalField(max_digits=12, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["award", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="award_target_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.description


class InstalmentState(models.TextChoices):
    PAID = "paid", "Paid"
    HELD = "held", "Held"
    DUE = "due", "Due"
    SCHEDULED = "scheduled", "Scheduled"


class Instalment(models.Model):
    """One payment of the award's schedule; held until a monitoring return is accepted
    where ``requires_accepted_return`` is set."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    amount_pence = models.BigIntegerField()
    requires_accepted_return = models.BooleanField(default=False)
    released_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="instalment_number_unique"),
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="instalment_positive"),
        ]
        indexes = [models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return f"Instalment {self.number}"

    def state_on(self, day: date) -> str:
        if self.paid_at:
            return InstalmentState.PAID
        is_due = self.due_date <= day
        if is_due and self.requires_accepted_return and not self.released_at:
            return InstalmentState.HELD
        if is_due:
            return InstalmentState.DUE
        return InstalmentState.SCHEDULED

    @property
    def state(self) -> str:
        """paid, held (due but waiting for an accepted return), due or scheduled."""
        return self.state_on(timezone.localdate())

    @property
    def state_label(self) -> str:
        return InstalmentState(self.state).label


class SocialValueTheme(models.TextChoices):
    JOBS = "jobs", "Local jobs"
    SKILLS = "skills", "Skills and training"
    SUPPLY_CHAIN = "supply_chain", "Local supply chain and sub-contracting"
    COMMUNITY = "community", "Stronger communities and volunteering"
    ENVIRONMENT = "environment", "Environment and net zero"
    WELLBEING = "wellbeing", "Health and wellbeing"


class SocialValueCommitment(models.Model):
    """A social or environmental value the provider commits to deliver (§4.4)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="social_value")
    theme = models.CharField(max_length=20, choices=SocialValueTheme.choices)
    description = models.CharField(max_length=255)
    measure = models.CharField(max_length=100, blank=True, help_text="For example hours, jobs")
    target_value = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["award", "pk"]

    def __str__(self) -> str:
        return self.description


class VariationKind(models.TextChoices):
    VALUE = "value", "Change to value"
    END_DATE = "end_date", "Change to end date"
    TERMINATION = "termination", "Termination"


class VariationStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Variation(models.Model):
    """A requested change to an award's value or end date, or its termination, with the
    decision of a second officer."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="variations")
    kind = models.CharField(max_length=20, choices=VariationKind.choices)
    old_amount_pence = models.BigIntegerField(null=True, blank=True)
    new_amount_pence = models.BigIntegerField(null=True, blank=True)
    old_end_date = models.DateField(null=True, blank=True)
    new_end_date = models.DateField(null=True, blank=True)
    notice_given_on = models.DateField(
        null=True, blank=True, help_text="For a termination: the day notice was given."
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=VariationStatus.choices, default=VariationStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["award", "-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.award}"


class AwardYear(models.Model):
    """The part of an award's amount falling in one financial year, and where it is committed.

    Kept by the awards services whenever the amount, term or schedule changes; the parts
    always add up to the award's amount. ``commitment`` is the part's money set aside in
    that year's ``pot``.
    """

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="years")
    start_year = models.PositiveSmallIntegerField(
        help_text="The financial year, by the calendar year its April falls in."
    )
    amount_pence = models.BigIntegerField()
    pot = models.ForeignKey(
        "strategy.FundingPot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_years",
    )
    commitment = models.OneToOneField(
        "strategy.BudgetCommitment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_year",
    )

    class Meta:
        ordering = ["award", "start_year"]
        constraints = [
            models.UniqueConstraint(fields=["award", "start_year"], name="award_year_unique"),
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0), name="award_year_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["start_year", "award"])]

    def __str__(self) -> str:
        return f"{self.award} {self.label}"

    @property
    def label(self) -> str:
        from thrive.strategy.models import FinancialYear

        return str(FinancialYear(start_year=self.start_year))

"""What an award is made of: its targets, payment schedule, social value commitments and
its money by financial year."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from thrive.awards.models.award import Award
from thrive.strategy.models import FinancialYear


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
        indexes = [
            models.Index(fields=["due_date"]),
            # the latest payment a council published (the open data page)
            models.Index(fields=["paid_at"], name="instalment_paid_at"),
        ]

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
        return str(FinancialYear(start_year=self.start_year))

"""Outcomes framework, directorates, funding pots and budgets, procurement thresholds.

§1.1, §2.1 (outcomes), §2.4 (directorate, ring-fenced and merged pots), §5.3 (pooled or
aligned budgets), §2.9 with the Procurement Act 2023 thresholds (dated configuration).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class OutcomeKind(models.TextChoices):
    PRIORITY = "priority", "Priority outcome"
    AMBITION = "ambition", "Partnership ambition"
    LOCAL_TARGET = "local_target", "Local target"
    NATIONAL_INDICATOR = "national_indicator", "National indicator"
    CROSS_CUTTING = "cross_cutting", "Cross-cutting outcome"


class OutcomeQuerySet(models.QuerySet):
    def active(self) -> OutcomeQuerySet:
        return self.filter(is_active=True)

    def for_council(self, council_id: int | None) -> OutcomeQuerySet:
        return self.filter(council_id=council_id)


class Outcome(models.Model):
    """A node in a council's outcomes framework; needs, intentions and awards link to these."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(max_length=30, choices=OutcomeKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["council_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="outcome_code_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """The code and title, as in "NI6: Participation in regular volunteering"."""
        return f"{self.code}: {self.title}"


class Directorate(models.Model):
    """A council directorate: commissioners work for one; pots belong to one."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="directorates"
    )
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["council_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="directorate_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


# --- financial years and pots ------------------------------------------------


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


# --- procurement thresholds ---------------------------------------------------


class ThresholdSetQuerySet(models.QuerySet):
    def in_force_on(self, day: date, council_id: int | None = None) -> ThresholdSet | None:
        """The council's own set in force on the day, else the national one."""
        found = self.filter(valid_from__lte=day).order_by("-valid_from")
        return (
            found.filter(council_id=council_id).first() if council_id else None
        ) or found.filter(council__isnull=True).first()


class ThresholdSet(models.Model):
    """Procurement thresholds (VAT included) in force from a date (Procurement Act 2023).

    The statutory figures change every two years; a new row starts on its date and the
    set in force on a procurement's start date applies. A council may add its own rows
    (for its small grants limit); rows without a council are the national defaults.
    """

    council = models.ForeignKey(
        "accounts.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField()
    goods_services_pence = models.BigIntegerField(
        "goods and services threshold", help_text="Sub-central authority, VAT included"
    )
    works_pence = models.BigIntegerField("works threshold")
    light_touch_pence = models.BigIntegerField(
        "light-touch regime threshold", help_text="Social, health, education and similar services"
    )
    below_threshold_notice_pence = models.BigIntegerField(
        "below-threshold notice value",
        default=3_000_000,
        help_text="An advertised contract at or above this needs a below-threshold tender notice",
    )
    small_grant_limit_pence = models.BigIntegerField("small grants limit", default=500_000)
    source = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThresholdSetQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "valid_from"], name="threshold_set_unique_date"
            ),
            models.UniqueConstraint(
                fields=["valid_from"],
                condition=Q(council__isnull=True),
                name="national_threshold_set_unique_date",
            ),
            models.CheckConstraint(
                condition=Q(goods_services_pence__gt=0)
                & Q(works_pence__gt=0)
                & Q(light_touch_pence__gt=0)
                & Q(small_grant_limit_pence__gte=0)
                & Q(below_threshold_notice_pence__gte=0),
                name="threshold_set_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Thresholds from {self.valid_from:%-d %B %Y}"


# --- the annual action plan (§5.1) ---------------------------------------------


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


OVERDUE = "overdue"
PROGRESS_LABELS = {
    ActionStatus.NOT_STARTED.value: "Not started",
    ActionStatus.IN_PROGRESS.value: "In progress",
    ActionStatus.DONE.value: "Done",
    OVERDUE: "Overdue",
}


class PlanActionQuerySet(models.QuerySet):
    def for_council(self, council_id: int | None) -> PlanActionQuerySet:
        return self.filter(council_id=council_id)

    def overdue(self, today: date | None = None) -> PlanActionQuerySet:
        """Not done and past the due date."""
        today = today or timezone.localdate()
        return self.exclude(status=ActionStatus.DONE).filter(due_date__lt=today)


class PlanAction(models.Model):
    """One action of a council's annual action plan, serving a section of the strategy."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="plan_actions"
    )
    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="plan_actions"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    section = models.CharField("strategy section", max_length=10)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    owner_team = models.CharField("owning team", max_length=200, blank=True)
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["council", "financial_year", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != ActionStatus.DONE and self.due_date < today

    def progress_status(self, today: date | None = None) -> str:
        """The status shown on the plan: overdue takes the place of not started/in progress."""
        return OVERDUE if self.is_overdue(today) else self.status

    @property
    def section_label(self) -> str:
        from thrive.strategy.sections import section_label

        return section_label(self.section)

    @property
    def owner_label(self) -> str:
        person = self.owner.get_full_name() or self.owner.username if self.owner_id else ""
        return " – ".join(part for part in (person, self.owner_team) if part)


# --- the annual NI 7 survey of Third Sector organisations (§5.1) -------------------


class SurveyRound(models.Model):
    """A council's annual survey of the local Third Sector, open between two dates."""

    council = models.ForeignKey(
        "accounts.Council", on_delete=models.PROTECT, related_name="survey_rounds"
    )
    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="survey_rounds"
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    introduction = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["council_id", "-financial_year__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "financial_year"], name="survey_round_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"Third Sector survey {self.financial_year}"

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def state(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "not open yet"
        return "open" if today <= self.closes_on else "closed"


class Influence(models.IntegerChoices):
    """The NI 7 answer scale: how local statutory bodies influence the organisation's success."""

    VERY_POSITIVE = 5, "Very positive"
    FAIRLY_POSITIVE = 4, "Fairly positive"
    NEITHER = 3, "Neither positive nor negative"
    FAIRLY_NEGATIVE = 2, "Fairly negative"
    VERY_NEGATIVE = 1, "Very negative"


POSITIVE_INFLUENCE = (Influence.VERY_POSITIVE, Influence.FAIRLY_POSITIVE)


class Agreement(models.IntegerChoices):
    STRONGLY_AGREE = 5, "Strongly agree"
    TEND_TO_AGREE = 4, "Tend to agree"
    NEITHER = 3, "Neither agree nor disagree"
    TEND_TO_DISAGREE = 2, "Tend to disagree"
    STRONGLY_DISAGREE = 1, "Strongly disagree"
    DONT_KNOW = 0, "Don't know or not applicable"


class SurveyResponse(models.Model):
    """One organisation's answers in a round. Results are shown to staff only in aggregate."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="survey_responses"
    )
    size_band = models.CharField(max_length=10, blank=True)
    overall = models.PositiveSmallIntegerField(choices=Influence.choices)
    funding = models.PositiveSmallIntegerField(choices=Agreement.choices)
    involvement = models.PositiveSmallIntegerField(choices=Agreement.choices)
    relationship = models.PositiveSmallIntegerField(choices=Agreement.choices)
    comment = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="survey_one_response_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(overall__gte=1) & Q(overall__lte=5), name="survey_overall_on_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.round}"

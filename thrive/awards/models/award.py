"""The award itself: its kind, status, terms and reference."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import Q
from django.db.models.functions import Upper
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
            # a council's awards by status, and which directorates fund each organisation
            # (the lead funders page reads it once per organisation and directorate)
            models.Index(
                fields=["council", "status", "organisation", "directorate"],
                name="award_council_status_funders",
            ),
            # "funded by your council" (the register's column, filter and count): one probe an
            # organisation, where the index above needs one for each funded status
            models.Index(
                fields=["council", "organisation"],
                condition=Q(status__in=FUNDED_STATUSES),
                name="award_funded_by_council",
            ),
            # the register's order, and its first and last years, without a sort; a search
            # walking it checks each award's provider, reference and title in the index alone
            # (PostgreSQL), not in the table: 31,000 awards before a common word's first
            # matches read 16,000 of the table's pages in date order
            models.Index(
                fields=["council", "-start_date", "-id"],
                include=["organisation", "reference", "title"],
                name="award_register_order",
            ),
            models.Index(
                fields=["council", "kind", "-start_date", "-id"], name="award_register_kind"
            ),
            models.Index(Upper("reference"), name="award_reference_upper"),
            # when a council's published awards last changed (the open data page)
            models.Index(fields=["council", "created_at"], name="award_council_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="award_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is None:
            self._forget_what_a_copy_cannot_share()
            # The id is taken first so that the reference goes in with the row: one INSERT.
            self.pk = next_id(type(self), using=kwargs.get("using"))
            self.reference = self.reference or make_reference(self)
            kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def _forget_what_a_copy_cannot_share(self) -> None:
        """A copy of another award gets a reference of its own, and neither the
        original's budget commitment nor its application."""
        shared = Q()
        for name in ("reference", "commitment_id", "application_id"):
            if getattr(self, name):
                shared |= Q(**{name: getattr(self, name)})
        if not shared:
            return
        taken = (
            type(self)
            .objects.filter(shared)
            .values_list("reference", "commitment_id", "application_id")
        )
        for reference, commitment_id, application_id in taken:
            if self.reference == reference:
                self.reference = None
            if self.commitment_id and self.commitment_id == commitment_id:
                self.commitment = None
            if self.application_id and self.application_id == application_id:
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


def next_id(model: type[models.Model], *, using: str | None = None) -> int:
    """Take the next id of ``model``'s table before its row is inserted.

    PostgreSQL hands it out from the id column's sequence. SQLite keeps the last id of an
    AUTOINCREMENT table in ``sqlite_sequence``; raising it there takes the database's write
    lock at once, so two awards made at the same moment queue for their numbers rather
    than share one. Either way the ids are the ones the database would have given.
    """
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
            return cursor.fetchone()[0]
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = %s RETURNING seq", [table]
        )
        row = cursor.fetchone()
        if row is None:  # nothing was ever inserted in the table
            quote = connection.ops.quote_name
            first = f"SELECT %s, COALESCE(MAX({quote(column)}), 0) + 1 FROM {quote(table)}"  # noqa: S608  # nosec B608 - our own names
            cursor.execute(f"INSERT INTO sqlite_sequence(name, seq) {first} RETURNING seq", [table])
            row = cursor.fetchone()
        return row[0]


def three_years_after(start: date) -> date:
    try:
        return start.replace(year=start.year + 3)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 3, day=28)


def is_shorter_than_three_years(start: date, end: date) -> bool:
    """True when the term from ``start`` to ``end`` inclusive is under three years."""
    return end < three_years_after(start) - timedelta(days=1)

"""Awards: small grants, funding agreements and contracts (§2.7–§2.10).

This is the register's first view of awards; the awards issue adds pots, outcomes,
targets, payment schedules and the award workflow.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AwardKind(models.TextChoices):
    SMALL_GRANT = "small_grant", "Small grant"
    FUNDING_AGREEMENT = "funding_agreement", "Funding agreement"
    CONTRACT = "contract", "Contract"


class AwardStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    TERMINATED = "terminated", "Ended early"


class AwardQuerySet(models.QuerySet):
    def funded(self) -> AwardQuerySet:
        """Awards that are or were money paid to the organisation."""
        return self.filter(
            status__in=[AwardStatus.ACTIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED]
        )

    def for_council(self, council_id: int | None) -> AwardQuerySet:
        return self.filter(council_id=council_id)


class Award(models.Model):
    """Money a council has awarded to an organisation by one method, over a period."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="awards"
    )
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="awards")
    directorate = models.ForeignKey(
        "strategy.Directorate", on_delete=models.PROTECT, related_name="awards"
    )
    kind = models.CharField(max_length=20, choices=AwardKind.choices)
    title = models.CharField(max_length=255)
    amount_pence = models.BigIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["organisation", "council"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="award_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.directorate_id
            and self.council_id
            and self.directorate.council_id != self.council_id
        ):
            raise ValidationError({"directorate": "Choose a directorate of the awarding council"})

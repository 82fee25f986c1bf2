"""The outcomes framework and the council's directorates (§1.1, §2.1)."""

from __future__ import annotations

from django.db import models


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

"""Open data: each council's publishing settings and grants imported from other funders."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PublisherSettings(models.Model):
    """How a council publishes: its 360Giving identifier prefix and OCDS ocid prefix."""

    council = models.OneToOneField(
        "accounts.Council", on_delete=models.CASCADE, related_name="publisher_settings"
    )
    grant_prefix = models.CharField(
        "360Giving identifier prefix",
        max_length=40,
        help_text="The part after 360G- registered with 360Giving, for example westshire",
    )
    ocid_prefix = models.CharField(
        "OCDS ocid prefix", max_length=40, help_text="Registered with OCDS, for example ocds-a1b2c3"
    )
    funder_org_id = models.CharField(
        "Funder organisation identifier",
        max_length=60,
        help_text="The council's org-id, for example GB-LAE-WSX",
    )

    def __str__(self) -> str:
        return f"Publishing settings of {self.council}"


class ImportRun(models.Model):
    """One import of another publisher's file: what came in, and what was wrong with it."""

    source_name = models.CharField(max_length=255)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grants_created = models.PositiveIntegerField(default=0)
    grants_updated = models.PositiveIntegerField(default=0)
    organisations_created = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"Import of {self.source_name} at {self.imported_at:%Y-%m-%d %H:%M}"


class ExternalGrant(models.Model):
    """A grant another funder published in 360Giving, as it was published (§2.6)."""

    grant_id = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=500)
    currency = models.CharField(max_length=3)
    amount_awarded = models.DecimalField(max_digits=16, decimal_places=2)
    award_date = models.DateField()
    funder_org_id = models.CharField(max_length=255)
    funder_name = models.CharField(max_length=500)
    recipient_org_id = models.CharField(max_length=255)
    recipient_name = models.CharField(max_length=500)
    recipient = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="external_grants",
    )
    programme = models.CharField(max_length=500, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="grants")

    class Meta:
        ordering = ["-award_date"]
        indexes = [models.Index(fields=["recipient", "award_date"])]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.title}"

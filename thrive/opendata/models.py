"""Open data: each council's publishing settings and grants imported from other funders."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone


class PublishedJSONEncoder(json.JSONEncoder):
    """Write numbers read as Decimal (ijson reads every JSON number so) back as numbers."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


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


class ImportKind(models.TextChoices):
    THREESIXTY = "360giving", "360Giving grants"
    OCDS = "ocds", "OCDS contracting data"
    CHARITY_REGISTER = "charity-register", "Charity register extract"


class ImportRun(models.Model):
    """One import of another publisher's file: what came in, and what was wrong with it.

    ``problems`` keeps every error and warning found, each a dict with the keys
    ``severity`` ("error" or "warning"), ``location`` (row or JSON place), ``grant_id``,
    ``field`` (the standard's name or column title), ``kind`` (a short code for the sort
    of problem, used to count them) and ``message`` (in words); the import run page lists
    them and offers them all as CSV.
    """

    kind = models.CharField(
        max_length=20, choices=ImportKind.choices, default=ImportKind.THREESIXTY
    )
    source_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10, blank=True)
    publishers = models.JSONField(
        default=list, blank=True, help_text="The funders or buyers named in the file"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grants_created = models.PositiveIntegerField(default=0)
    grants_updated = models.PositiveIntegerField(default=0)
    organisations_created = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    records_read = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0, help_text="Records that could not be used")
    held_for_review = models.PositiveIntegerField(
        default=0, help_text="Records whose recipient was held for a person to confirm"
    )
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"Import of {self.source_name} at {self.imported_at:%Y-%m-%d %H:%M}"


class RecipientStatus(models.TextChoices):
    MATCHED = "matched", "Matched to the register"
    CREATED = "created", "Added to the register"
    HELD = "held", "Held for review"


def _recipient(related_name: str, whom: str) -> models.ForeignKey:
    """The organisation in the register an award went to; empty while it is held."""
    return models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=f"Empty while the {whom} is held for review",
    )


def _import_run(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name=related_name)


class PublishedAward(models.Model):
    """What an imported grant and an imported contract award have alike: the award as
    its publisher wrote it (``data``), what was wrong with it (``warnings``) and how its
    recipient was matched to the register (``recipient_status``; the recipient itself and
    the import run are each model's, by their own related names)."""

    recipient_status = models.CharField(
        max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.MATCHED
    )
    description = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=PublishedJSONEncoder)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["-award_date"]


class ExternalGrant(PublishedAward):
    """A grant another funder published in 360Giving, as it was published (§2.6).

    ``data`` is the grant exactly as the publisher wrote it, every field and any extra
    one; the typed fields beside it are the parts the service queries.
    """

    grant_id = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=500)
    currency = models.CharField(max_length=3)
    amount_awarded = models.DecimalField(max_digits=16, decimal_places=2)
    award_date = models.DateField()
    funder_org_id = models.CharField(max_length=255)
    funder_name = models.CharField(max_length=500)
    recipient_org_id = models.CharField(max_length=255)
    recipient_name = models.CharField(max_length=500)
    recipient = _recipient("external_grants", "recipient")
    programme = models.CharField(max_length=500, blank=True)
    funder_department = models.CharField(max_length=500, blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    from_open_call = models.CharField(max_length=20, blank=True)
    import_run = _import_run("grants")

    class Meta(PublishedAward.Meta):
        indexes = [
            models.Index(fields=["recipient", "award_date"]),
            models.Index(fields=["funder_org_id", "award_date"]),
            models.Index(fields=["recipient_status"]),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.title}"


class ExternalGrantLocation(models.Model):
    """One beneficiary location of an imported grant, for counting by area."""

    grant = models.ForeignKey(ExternalGrant, on_delete=models.CASCADE, related_name="locations")
    geo_code = models.CharField(max_length=50, blank=True, db_index=True)
    geo_code_type = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=500, blank=True)
    country_code = models.CharField(max_length=10, blank=True)

    def __str__(self) -> str:
        return self.name or self.geo_code


class ExternalGrantClassification(models.Model):
    """One classification of an imported grant (its vocabulary and code), for counting."""

    grant = models.ForeignKey(
        ExternalGrant, on_delete=models.CASCADE, related_name="classifications"
    )
    vocabulary = models.CharField(max_length=255, blank=True)
    code = models.CharField(max_length=255, blank=True, db_index=True)
    title = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.title or self.code


class ExternalContract(PublishedAward):
    """A contract award another buyer published in OCDS, to one supplier, as published.

    One row for each award and supplier: ``key`` is ``ocid/award id/supplier id``, so a
    re-import of a newer release or record updates the row instead of adding another.
    """

    key = models.CharField(max_length=255, unique=True)
    ocid = models.CharField(max_length=255, db_index=True)
    award_id = models.CharField(max_length=255)
    title = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=40, blank=True)
    buyer_org_id = models.CharField(max_length=255, blank=True)
    buyer_name = models.CharField(max_length=500)
    supplier_org_id = models.CharField(max_length=255, blank=True)
    supplier_name = models.CharField(max_length=500)
    recipient = _recipient("external_contracts", "supplier")
    currency = models.CharField(max_length=3, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    award_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    import_run = _import_run("contracts")

    class Meta(PublishedAward.Meta):
        indexes = [
            models.Index(fields=["recipient", "award_date"]),
            models.Index(fields=["buyer_org_id", "award_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.ocid}: {self.title or self.award_id}"


class PublishedCounts(models.Model):
    """How many grants and contracts a council publishes and when its latest was awarded,
    kept so the open data page need not count every award (``thrive.opendata.counts``).

    ``version`` moves on when a change to the council's awards commits; the counts are
    served only while ``counted``, the version they were made at, is still the council's.
    """

    council = models.OneToOneField(
        "accounts.Council", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.BigIntegerField(default=0)
    counted = models.BigIntegerField(null=True)
    grants = models.BigIntegerField(default=0)
    contracts = models.BigIntegerField(default=0)
    updated = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"Published counts of council #{self.council_id} at version {self.version}"


class FundingKind(models.TextChoices):
    GRANT = "grant", "Grants"
    CONTRACT = "contract", "Contracts"


class FundingTotal(models.Model):
    """One organisation's imported grants (or contracts) from one funder (or buyer) in one
    year, currency and import, added up (``thrive.opendata.totals``).

    The pages that show an organisation's other funding read these instead of its grants:
    a multi-funded organisation may hold thousands, and the lead funders download lists
    hundreds of organisations. The organisation is a plain id, not a relation: these are
    made again from the grants whenever an import, a review decision or a merge moves
    grants, never moved themselves.
    """

    recipient_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=FundingKind.choices)
    who = models.CharField(max_length=500, help_text="The funder's (or buyer's) org-id")
    name = models.CharField(max_length=500)
    year = models.IntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=22, decimal_places=2, default=Decimal(0))

    class Meta:
        indexes = [models.Index(fields=["recipient_id", "kind"], name="funding_total_recipient")]

    def __str__(self) -> str:
        return f"{self.name} to organisation #{self.recipient_id} in {self.year}"

"""Reference data shared by every app: the areas a council serves and beneficiary groups."""

from __future__ import annotations

from django.db import models


class Area(models.Model):
    """A part of a council's area (district, locality); ``county_wide`` covers all of it."""

    council = models.ForeignKey(
        "accounts.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="areas"
    )
    name = models.CharField(max_length=120)
    gss_code = models.CharField(
        "GSS code", max_length=9, blank=True, help_text="ONS code, for 360Giving locations"
    )
    county_wide = models.BooleanField(default=False)

    class Meta:
        ordering = ["-county_wide", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="area_unique_per_council")
        ]

    def __str__(self) -> str:
        return self.name


class BeneficiaryGroup(models.Model):
    """Who benefits: the Equality Act 2010 protected characteristics and other groups."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    protected_characteristic = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StoredDocument(models.Model):
    """A laid-out document (a PDF) kept under a digest of what it says.

    Every web process and the worker share it, so a document built in the background is
    served at once by whichever process is asked for it; a changed figure changes the
    digest, so a kept document is never out of date.
    """

    digest = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Document {self.digest[:12]}"

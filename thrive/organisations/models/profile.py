"""What an organisation's profile lists: identifiers, income, services and contacts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from thrive.organisations.models.organisation import EMAIL_INVALID, Organisation


class Identifier(models.Model):
    """An org-id held by an organisation; each identifier belongs to one organisation only."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(max_length=20, help_text="The org-id prefix, like GB-CHC")
    value = models.CharField(max_length=60, help_text="The number in the register's own form")
    org_id = models.CharField("org-id", max_length=82, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheme", "value"]
        # the register's search matches either, whatever their case
        indexes = [
            models.Index(Upper("org_id"), name="identifier_org_id_upper"),
            models.Index(Upper("value"), name="identifier_value_upper"),
        ]

    def __str__(self) -> str:
        return self.org_id


class IncomeRecord(models.Model):
    """An organisation's total income for a financial year (the year it ended)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="incomes")
    year = models.PositiveSmallIntegerField(help_text="The year the financial year ended")
    amount_pence = models.BigIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="income_year_unique"),
            models.CheckConstraint(condition=Q(amount_pence__gte=0), name="income_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class Service(models.Model):
    """A service the organisation offers, linked to the outcomes it works towards."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    outcomes = models.ManyToManyField("strategy.Outcome", blank=True, related_name="services")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A named person to contact at the organisation (personal data: kept minimal)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, db_index=True, error_messages={"invalid": EMAIL_INVALID})
    phone = models.CharField(max_length=30, blank=True)
    is_main = models.BooleanField("main contact", default=False)

    class Meta:
        ordering = ["-is_main", "name"]

    def __str__(self) -> str:
        return self.name

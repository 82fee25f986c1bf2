"""Procurement thresholds in force from a date (§2.9, Procurement Act 2023)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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

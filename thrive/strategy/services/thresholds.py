"""Dated sets of procurement thresholds (§2.9)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.audit.services import log_action
from thrive.strategy.defaults import ensure_default_thresholds
from thrive.strategy.models import ThresholdSet
from thrive.strategy.services.common import snapshot

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User

THRESHOLD_FIELDS = (
    "valid_from",
    "goods_services_pence",
    "works_pence",
    "light_touch_pence",
    "below_threshold_notice_pence",
    "small_grant_limit_pence",
    "source",
)


def save_threshold_set(*, threshold_set: ThresholdSet, actor: User | None) -> ThresholdSet:
    """Add or correct a dated set of procurement thresholds."""
    before = None
    if threshold_set.pk:
        before = snapshot(
            obj=ThresholdSet.objects.get(pk=threshold_set.pk), fields=THRESHOLD_FIELDS
        )
    clash = ThresholdSet.objects.filter(
        council=threshold_set.council, valid_from=threshold_set.valid_from
    ).exclude(pk=threshold_set.pk)
    if clash.exists():
        raise ValidationError({"valid_from": "A set of thresholds already starts on this date"})
    if threshold_set.created_by_id is None and getattr(actor, "is_authenticated", False):
        threshold_set.created_by = actor
    with transaction.atomic():
        threshold_set.full_clean(validate_constraints=False)
        threshold_set.save()
        log_action(
            action="strategy.thresholds.changed" if before else "strategy.thresholds.created",
            actor=actor,
            obj=threshold_set,
            before=before,
            after=snapshot(obj=threshold_set, fields=THRESHOLD_FIELDS),
            council=threshold_set.council,
        )
    return threshold_set


def thresholds_on(*, day: date, council: Council | None = None) -> ThresholdSet:
    """The thresholds in force on a procurement's start date."""
    found = ThresholdSet.objects.in_force_on(day, getattr(council, "pk", None))
    if found is None and not ThresholdSet.objects.filter(council__isnull=True).exists():
        ensure_default_thresholds()  # an emptied table falls back to the statutory figures
        found = ThresholdSet.objects.in_force_on(day, getattr(council, "pk", None))
    if found is None:
        raise ValidationError(
            {"procurement_start": f"No procurement thresholds are in force on {day:%-d %B %Y}"}
        )
    return found

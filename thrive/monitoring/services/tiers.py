"""Changes to a council's monitoring tiers and settings (§4.2, §4.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.monitoring.models import TIER_FIELDS, MonitoringSettings, MonitoringTier
from thrive.monitoring.selectors import default_tiers, settings_for

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User


def ensure_default_tiers(*, council: Council) -> list[MonitoringTier]:
    """Give the council the strategy's default tiers if it has none yet (§4.2)."""
    existing = list(MonitoringTier.objects.filter(council=council))
    if existing:
        return existing
    return MonitoringTier.objects.bulk_create(default_tiers(council=council))


def _tier_snapshot(tier: MonitoringTier) -> dict[str, Any]:
    return {name: getattr(tier, name) for name in TIER_FIELDS}


def save_tier(*, tier: MonitoringTier, actor: User | None, reason: str = "") -> MonitoringTier:
    """Create or change a tier rule, audited with what it was before.

    A council's first own rule joins the default rules it was shown until then.
    """
    before = None
    if tier.pk:
        before = _tier_snapshot(MonitoringTier.objects.get(pk=tier.pk))
    tier.updated_at = timezone.now()
    tier.full_clean()
    with transaction.atomic():
        if tier.pk is None:
            ensure_default_tiers(council=tier.council)
        tier.save()
        log_action(
            action="monitoring.tier.saved",
            actor=actor,
            obj=tier,
            before=before,
            after=_tier_snapshot(tier),
            reason=reason,
            council=tier.council,
        )
    return tier


def save_settings(
    *,
    council: Council,
    actor: User | None,
    lead_rule: str,
    reminder_days: int,
    escalation_days: int,
) -> MonitoringSettings:
    """Change how lead funders are proposed and when reminders go, audited."""
    found = settings_for(council=council)
    before = {"lead_rule": found.lead_rule, "reminder_days": found.reminder_days}
    found.lead_rule = lead_rule
    found.reminder_days = reminder_days
    found.escalation_days = escalation_days
    found.full_clean()
    with transaction.atomic():
        found.save()
        log_action(
            action="monitoring.settings.saved",
            actor=actor,
            obj=found,
            before=before,
            after={"lead_rule": lead_rule, "reminder_days": reminder_days},
            council=council,
        )
    return found

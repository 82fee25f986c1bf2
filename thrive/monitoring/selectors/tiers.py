"""A council's monitoring tiers: its own rules, or the strategy's defaults until it has some."""

from __future__ import annotations

from typing import TYPE_CHECKING

from thrive.monitoring import tiers as tier_rules
from thrive.monitoring.models import TIER_FIELDS, MonitoringTier

if TYPE_CHECKING:
    from thrive.accounts.models import Council


def default_tiers(*, council: Council) -> list[MonitoringTier]:
    """The strategy's default tiers for the council, unsaved (§4.2)."""
    return [
        MonitoringTier(
            council=council,
            **{
                name: list(value) if isinstance(value, tuple) else value
                for name, value in vars(default).items()
                if name in TIER_FIELDS
            },
        )
        for default in tier_rules.DEFAULT_TIERS
    ]


def tiers_for(*, council: Council) -> list[MonitoringTier]:
    """The council's tiers in the order they are tried; the defaults, unsaved, if it has none."""
    saved = list(MonitoringTier.objects.filter(council=council).order_by("order", "pk"))
    return saved or default_tiers(council=council)

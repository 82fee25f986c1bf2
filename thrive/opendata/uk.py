"""The UK profile's fields in OCDS: whether a procurement is above the Procurement Act 2023
threshold, and the light-touch regime, where the method decision says enough to tell.

The fields are defined by the Cabinet Office's OCDS for the United Kingdom extension
(``tender.aboveThreshold``, ``tender.specialRegime``), declared in the package. The
threshold is the one recorded with the method advice, else the set in force on the day the
procurement started (thresholds are dated configuration, ``strategy.ThresholdSet``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from thrive.commissioning.models import MethodDecision, Regime, Route, ServiceType
from thrive.strategy.models import ThresholdSet

LIGHT_TOUCH = "lightTouch"


class Thresholds:
    """The council's and the national threshold sets, loaded once for a whole package."""

    def __init__(self, council_id: int) -> None:
        rows = list(ThresholdSet.objects.filter(Q(council_id=council_id) | Q(council=None)))
        self.by_id = {row.pk: row for row in rows}
        self.own = sorted((r for r in rows if r.council_id), key=lambda r: r.valid_from)
        self.national = sorted((r for r in rows if not r.council_id), key=lambda r: r.valid_from)

    def in_force_on(self, day: date) -> ThresholdSet | None:
        """As ``ThresholdSet.objects.in_force_on``: the council's own set, else the national."""
        for rows in (self.own, self.national):
            found = [r for r in rows if r.valid_from <= day]
            if found:
                return found[-1]
        return None


def _threshold_pence(decision: MethodDecision, rows: ThresholdSet) -> int | None:
    return {
        ServiceType.SOCIAL: rows.light_touch_pence,
        ServiceType.GOODS_SERVICES: rows.goods_services_pence,
        ServiceType.WORKS: rows.works_pence,
    }.get(decision.service_type)


def tender_fields(
    decision: MethodDecision | None, value_pence: int, started: date | None, thresholds: Thresholds
) -> dict[str, Any]:
    """``aboveThreshold`` and ``specialRegime`` for a procurement under the Procurement Act;
    nothing for grants, exempt awards, the Provider Selection Regime, or when unknown."""
    if decision is None or not value_pence:
        return {}
    regime = decision.regime or decision.recommended_regime
    if regime != Regime.PROCUREMENT_ACT:
        return {}
    rows = thresholds.by_id.get(decision.threshold_set_id) or (
        thresholds.in_force_on(started) if started else None
    )
    threshold = _threshold_pence(decision, rows) if rows else None
    if threshold is None:
        return {}
    above = value_pence >= threshold
    fields: dict[str, Any] = {"aboveThreshold": above}
    route = decision.route or decision.recommended_route
    if decision.service_type == ServiceType.SOCIAL and (above or route == Route.LIGHT_TOUCH):
        fields["specialRegime"] = [LIGHT_TOUCH]
    return fields

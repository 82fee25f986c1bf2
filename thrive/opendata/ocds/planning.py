"""The ``planning`` stage: published commissioning intentions, each its own process."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from thrive.accounts.models import Council
from thrive.commissioning.models import Intention, Method
from thrive.opendata import uk
from thrive.opendata.ocds.common import Publisher, amount, period


def planning_intentions(council: Council):
    """Published intentions that lead to a contracting process (not small grants)."""
    return (
        Intention.objects.published()
        .filter(council=council)
        .exclude(method__method=Method.SMALL_GRANT)
        .select_related("method")
        .order_by("pk")
    )


def _method(intention: Intention) -> str | None:
    decision = getattr(intention, "method", None)
    if decision is None:
        return None
    route = decision.route or decision.recommended_route
    if route == "direct":
        return "direct"
    return "open" if route else None


def planning_release(pub: Publisher, intention: Intention) -> dict[str, Any]:
    ocid = pub.ocid(intention.reference)
    tender: dict[str, Any] = {
        "id": intention.reference,
        "title": intention.title,
        "description": intention.summary,
        "status": "planned" if intention.procurement_start else "planning",
        "procuringEntity": pub.buyer,
        "mainProcurementCategory": "services",
    }
    if intention.budget_pence:
        tender["value"] = amount(intention.budget_pence)
    method = _method(intention)
    if method:
        tender["procurementMethod"] = method
    if intention.procurement_start:
        tender["tenderPeriod"] = period(intention.procurement_start, None)
    started = intention.procurement_start or (
        timezone.localdate(intention.published_at) if intention.published_at else None
    )
    tender.update(
        uk.tender_fields(
            getattr(intention, "method", None), intention.budget_pence, started, pub.thresholds
        )
    )
    contract_period = period(intention.service_start, intention.service_end)
    if contract_period:
        tender["contractPeriod"] = contract_period
    planning: dict[str, Any] = {"rationale": intention.aims or intention.summary}
    if intention.budget_pence:
        planning["budget"] = {
            "id": f"{intention.reference}-budget",
            "description": f"Budget of commissioning intention {intention.reference}",
            "amount": amount(intention.budget_pence),
        }
    return pub.release(
        ocid,
        "planning",
        intention.published_at,
        "planning",
        parties=[pub.buyer_party()],
        planning=planning,
        tender=tender,
    )

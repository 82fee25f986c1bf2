"""Opportunities from decided commissioning intentions (§2.4–§2.9 to §4.1).

An intention is decided when it is approved (or published) and its method decision is
settled: confirmed, and agreed by procurement where the route is a contract. The route
decides the kind of opportunity; a direct award has nothing to advertise.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from thrive.commissioning.models import Intention
from thrive.opportunities.models import OpportunityKind

ROUTE_KINDS = {
    "small_grants": OpportunityKind.SMALL_GRANTS,
    "grant_round": OpportunityKind.GRANT_ROUND,
    "rfq": OpportunityKind.RFQ,
    "below_threshold_tender": OpportunityKind.TENDER,
    "open_tender": OpportunityKind.TENDER,
    "light_touch": OpportunityKind.TENDER,
    "psr": OpportunityKind.TENDER,
}
DECIDED_STATUSES = ("approved", "published", "commissioned")


def decided_intentions(*, council: Any) -> QuerySet[Any]:
    """The council's intentions whose method is settled and which can be advertised."""
    qs = Intention.objects.filter(
        council=council, status__in=DECIDED_STATUSES, method__confirmed_at__isnull=False
    ).select_related("method", "directorate")
    return qs.exclude(method__route="direct").order_by("reference")


def kind_for(intention: Any) -> str:
    """The kind of opportunity the intention's settled route calls for."""
    method = getattr(intention, "method", None)
    if method is None or not method.is_settled:
        raise ValidationError(
            {"intention": "The intention's commissioning method has not been decided yet"}
        )
    if intention.status not in DECIDED_STATUSES:
        raise ValidationError({"intention": "The intention has not been approved yet"})
    kind = ROUTE_KINDS.get(method.route)
    if kind is None:
        raise ValidationError({"intention": "A direct award has no opportunity to advertise"})
    return kind


def check_intention(*, intention: Any, council: Any, kind: str) -> None:
    """Refuse an intention of another council, undecided, or decided for another kind."""
    if intention.council_id != council.pk:
        raise ValidationError({"intention": "Choose an intention of this council"})
    wanted = kind_for(intention)
    if kind != wanted:
        raise ValidationError(
            {
                "kind": f"The intention's decided route calls for "
                f"{OpportunityKind(wanted).label.lower()}"
            }
        )


def defaults_from(intention: Any) -> dict[str, Any]:
    """What the opportunity form starts with, taken from the intention."""
    return {
        "intention": intention.pk,
        "title": intention.title,
        "summary": intention.summary,
        "description": intention.aims,
        "kind": kind_for(intention),
        "directorate": intention.directorate_id,
        "value_pence": intention.budget_pence,
        "outcomes": list(intention.outcomes.all()),
        "areas": list(intention.areas.all()),
    }

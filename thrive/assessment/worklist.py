"""What assessment asks of people: approvals, declarations, scores and moderation (§4.4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse

from thrive.assessment import selectors
from thrive.assessment.models import Decision, DecisionStatus, PanelMember
from thrive.assessment.rules import APPROVER_ROLES
from thrive.core import worklist
from thrive.core.money import format_pence
from thrive.core.policy import has_council_role
from thrive.core.worklist import WorkItem

APPROVE = "assessment.approve"
DECLARE = "assessment.declare"
SCORE = "assessment.score"
MODERATE = "assessment.moderate"

worklist.add_kind(APPROVE, "Decisions awaiting your approval", 10)
worklist.add_kind(DECLARE, "Panels waiting for your declaration of interests", 30)
worklist.add_kind(SCORE, "Applications to score", 31)
worklist.add_kind(MODERATE, "Panels ready for moderation", 32)


def _where(decision: Decision) -> str:
    return f", lot {decision.lot.number}" if decision.lot_id else ""


@worklist.add
def decisions_to_approve(user: Any) -> Iterator[WorkItem]:
    """Recommendations the user may approve: not their own, not their panel's, within limit."""
    if not has_council_role(user, *APPROVER_ROLES):
        return
    limit = selectors.delegated_limit(user, user.council_id)
    on_panel = PanelMember.objects.filter(
        panel__opportunity_id=OuterRef("opportunity_id"), user=user
    )
    decisions = (
        Decision.objects.filter(
            status=DecisionStatus.RECOMMENDED, opportunity__council_id=user.council_id
        )
        .exclude(recommended_by=user)
        .annotate(total=Sum("winners__amount_pence"), _on_panel=Exists(on_panel))
        .filter(_on_panel=False, total__lte=limit)
        .select_related("opportunity", "lot")
    )
    for decision in decisions:
        yield WorkItem(
            kind=APPROVE,
            title=f"{decision.opportunity.title}{_where(decision)}",
            url=reverse("assessment:decision", args=[decision.pk]),
            since=decision.recommended_at,
            detail=f"Recommended award of {format_pence(decision.total or 0)}",
        )

"""What assessment asks of people: approvals, declarations, scores and moderation (§4.4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from thrive.applications.models import Application
from thrive.assessment import selectors
from thrive.assessment.models import (
    APPROVER_ROLES,
    ConflictDeclaration,
    Decision,
    DecisionStatus,
    Panel,
    PanelMember,
    Score,
)
from thrive.core import worklist
from thrive.core.money import format_pence
from thrive.core.policy import has_council_role
from thrive.core.worklist import WorkItem
from thrive.opportunities.worklist import managed_by

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


def _count(queryset: Any, field: str, counted: str = "pk") -> Coalesce:
    """A correlated count of distinct ``counted``, as a subquery that answers 0, not NULL."""
    counted = (
        queryset.order_by().values(field).annotate(n=Count(counted, distinct=True)).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@worklist.add
def panel_work(user: Any) -> Iterator[WorkItem]:
    """Panels the user sits on that wait for their declaration, or for their scores."""
    if not user.council_id:
        return
    opportunity = OuterRef("panel__opportunity_id")
    members = (
        PanelMember.objects.filter(
            user=user,
            panel__moderation_opened_at__isnull=True,
            panel__opportunity__council_id=user.council_id,
        )
        .annotate(
            declared=Exists(ConflictDeclaration.objects.filter(member=OuterRef("pk"))),
            to_score=_count(
                Application.objects.filter(
                    opportunity_id=opportunity, status__in=selectors.PANEL_STATUSES
                ),
                "opportunity_id",
            ),
            scored=_count(
                Score.objects.filter(assessor=user, application__opportunity_id=opportunity),
                "application__opportunity_id",
                "application_id",
            ),
        )
        .select_related("panel__opportunity")
    )
    for member in members:
        item = _member_item(member)
        if item is not None:
            yield item


def _member_item(member: PanelMember) -> WorkItem | None:
    opportunity = member.panel.opportunity
    if not member.declared:
        return WorkItem(
            kind=DECLARE,
            title=opportunity.title,
            url=reverse("assessment:declare", args=[opportunity.pk]),
            since=member.added_at,
            detail="Declare any conflict of interest before you see the applications",
        )
    left = member.to_score - member.scored
    if left <= 0:
        return None
    return WorkItem(
        kind=SCORE,
        title=opportunity.title,
        url=reverse("assessment:panel", args=[opportunity.pk]),
        since=member.added_at,
        detail=f"{left} of {member.to_score} applications still to score",
    )


@worklist.add
def moderation_to_open(user: Any) -> Iterator[WorkItem]:
    """Panels of the officer's opportunities that have begun scoring but not moderation."""
    scope = managed_by(user, "opportunity__")
    if scope is None:
        return
    first_score = (
        Score.objects.filter(application__opportunity_id=OuterRef("opportunity_id"))
        .order_by("scored_at")
        .values("scored_at")[:1]
    )
    panels = (
        Panel.objects.filter(scope, moderation_opened_at__isnull=True)
        .annotate(first_score=Subquery(first_score))
        .filter(first_score__isnull=False)
        .select_related("opportunity")
    )
    for panel in panels:
        yield WorkItem(
            kind=MODERATE,
            title=panel.opportunity.title,
            url=reverse("assessment:panel", args=[panel.opportunity_id]),
            since=panel.first_score,
            detail="Scoring has begun: open moderation when the panel has scored",
        )

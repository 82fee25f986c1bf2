"""Reads about panels: who sits on them, what they declared, what they may see and score.

Applications reach a panel only through ``ApplicationQuerySet.unsealed``, so a sealed bid
stays sealed to assessors exactly as to everyone else until its opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from thrive.accounts.models import Role
from thrive.applications.models import Application, ApplicationStatus
from thrive.assessment.models import (
    ConflictDeclaration,
    Decision,
    ModeratedScore,
    Panel,
    PanelMember,
    Score,
    Winner,
)
from thrive.core import policy
from thrive.opportunities.models import Criterion, Opportunity

PANEL_STATUSES = (
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_ASSESSMENT,
    ApplicationStatus.SUCCESSFUL,
    ApplicationStatus.UNSUCCESSFUL,
)


def get_opportunity(*, pk: int) -> Opportunity:
    try:
        return Opportunity.objects.select_related("council", "directorate").get(pk=pk)
    except Opportunity.DoesNotExist as exc:
        raise Http404("No such opportunity") from exc


def get_application(*, pk: int) -> Application:
    try:
        return Application.objects.select_related(
            "opportunity__council", "organisation", "lot"
        ).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application") from exc


def get_decision(*, pk: int) -> Decision:
    try:
        return Decision.objects.select_related(
            "opportunity__council", "lot", "pot", "recommended_by", "decided_by"
        ).get(pk=pk)
    except Decision.DoesNotExist as exc:
        raise Http404("No such decision") from exc


def get_winner(*, pk: int) -> Winner:
    try:
        return Winner.objects.select_related(
            "decision__opportunity__council", "application__organisation", "award"
        ).get(pk=pk)
    except Winner.DoesNotExist as exc:
        raise Http404("No such recommended award") from exc


def panel_of(opportunity: Opportunity) -> Panel | None:
    return Panel.objects.filter(opportunity=opportunity).first()


def membership(user: Any, opportunity: Opportunity) -> PanelMember | None:
    """The user's place on the opportunity's panel, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelMember.objects.filter(panel__opportunity=opportunity, user=user)
        .select_related("panel")
        .first()
    )


def latest_declaration(member: PanelMember | None) -> ConflictDeclaration | None:
    if member is None:
        return None
    return member.declarations.prefetch_related("organisations").first()


def is_conflicted(declaration: ConflictDeclaration | None, organisation_id: int) -> bool:
    if declaration is None or not declaration.has_conflict:
        return False
    return any(o.pk == organisation_id for o in declaration.organisations.all())


def panel_applications(
    opportunity: Opportunity, now: datetime | None = None
) -> QuerySet[Application]:
    """The eligible applications a panel assesses: screened, and never a sealed bid."""
    return (
        Application.objects.filter(opportunity=opportunity, status__in=PANEL_STATUSES)
        .unsealed(now)
        .select_related("organisation", "lot", "opportunity")
        .order_by("lot__number", "reference", "pk")
    )


def criteria_for(application: Application) -> list[Criterion]:
    """The criteria that apply to the application: the opportunity's, plus its lot's."""
    return [
        c
        for c in application.opportunity.criteria.select_related("lot")
        if c.lot_id is None or c.lot_id == application.lot_id
    ]


def assignments_for(user: Any) -> list[PanelMember]:
    """The panels the user sits on, with the opportunity and their latest declaration."""
    members = list(
        PanelMember.objects.filter(user=user)
        .select_related("panel__opportunity__council")
        .prefetch_related("declarations__organisations")
        .order_by("-panel__opportunity__closes_at")
    )
    for member in members:
        declarations = list(member.declarations.all())
        member.latest = declarations[0] if declarations else None
    return members


def panels_for_staff(user: Any) -> QuerySet[Panel]:
    """Panels the officer may open: their council's for the officers who read every bid of it
    (all councils for system administrators), their directorates' for commissioners."""
    qs = Panel.objects.select_related("opportunity__directorate").order_by(
        "-opportunity__closes_at"
    )
    if policy.is_system_admin(user):
        return qs
    qs = qs.filter(opportunity__council_id=user.council_id)
    if policy.has_council_role(
        user, Role.PROCUREMENT_OFFICER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN
    ):
        return qs
    if policy.has_council_role(user, Role.COMMISSIONER):
        return qs.filter(opportunity__directorate_id__in=user.directorate_ids())
    return qs.none()


def own_scores(application: Application, user: Any) -> dict[int, Score]:
    return {s.criterion_id: s for s in Score.objects.filter(application=application, assessor=user)}


def scores_by_criterion(application: Application) -> dict[int, list[Score]]:
    """Every assessor's scores for the application: read only once moderation opens."""
    found: dict[int, list[Score]] = {}
    for score in Score.objects.filter(application=application).select_related("assessor"):
        found.setdefault(score.criterion_id, []).append(score)
    return found


def moderated(application: Application) -> dict[int, ModeratedScore]:
    return {m.criterion_id: m for m in ModeratedScore.objects.filter(application=application)}


def scored_application_ids(user: Any, opportunity: Opportunity) -> set[int]:
    """The applications of the opportunity the user has given scores for."""
    return set(
        Score.objects.filter(assessor=user, application__opportunity=opportunity).values_list(
            "application_id", flat=True
        )
    )


@dataclass
class MemberProgress:
    """Where one panel member stands before moderation: declared, and what is left to score."""

    member: PanelMember
    declared: bool
    unscored: list[Application]


def panel_progress(panel: Panel) -> list[MemberProgress]:
    """Each member's declaration and the applications they may score but have not."""
    applications = list(panel_applications(panel.opportunity))
    members = panel.members.select_related("user").prefetch_related("declarations__organisations")
    scored: dict[int, set[int]] = {}
    for user_id, application_id in Score.objects.filter(application__in=applications).values_list(
        "assessor_id", "application_id"
    ):
        scored.setdefault(user_id, set()).add(application_id)
    progress = []
    for member in members:
        declarations = list(member.declarations.all())
        latest = declarations[0] if declarations else None
        unscored = [
            a
            for a in applications
            if a.pk not in scored.get(member.user_id, set())
            and not is_conflicted(latest, a.organisation_id)
        ]
        progress.append(MemberProgress(member, latest is not None, unscored))
    return progress

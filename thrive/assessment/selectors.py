"""Reads about assessment: panels, declarations, who may see what, results and rankings.

Applications reach a panel only through ``ApplicationQuerySet.unsealed``, so a sealed bid
stays sealed to assessors exactly as to everyone else until its opening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.applications.models import Application, ApplicationStatus
from thrive.assessment import scoring
from thrive.assessment.models import (
    DEFAULT_LIMITS_PENCE,
    AssessmentSettings,
    ConflictDeclaration,
    Decision,
    DecisionStatus,
    DelegatedLimit,
    ModeratedScore,
    Panel,
    PanelMember,
    Score,
    Winner,
)
from thrive.core import policy
from thrive.core.money import format_pence
from thrive.opportunities.models import Criterion, CriterionKind, Lot, Opportunity

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


def standstill_days(council: Any) -> int:
    found = AssessmentSettings.objects.filter(council=council).first()
    return found.standstill_days if found else 10


def limits_for_council(council: Any) -> dict[str, int]:
    """Each role's delegated limit in pence: the council's own, else the defaults."""
    limits = dict(DEFAULT_LIMITS_PENCE)
    for row in DelegatedLimit.objects.filter(council=council):
        limits[row.role] = row.limit_pence
    return limits


def delegated_limit(user: Any, council: Any, limits: dict[str, int] | None = None) -> int:
    """The most this officer may approve alone: the highest limit among their roles."""
    limits = limits_for_council(council) if limits is None else limits
    return max((limits.get(role, 0) for role in user.role_codes() if role in Role), default=0)


def approval_refusal(decision: Decision, user: Any) -> str | None:
    """Why this officer may not approve the recommendation, or None when they may (§4.4)."""
    if decision.status != DecisionStatus.RECOMMENDED:
        return "Only a recommendation awaiting approval can be decided"
    if decision.recommended_by_id == user.pk:
        return "You cannot approve your own recommendation"
    if membership(user, decision.opportunity) is not None:
        return "A member of the assessment panel cannot approve its recommendation"
    limit = delegated_limit(user, decision.opportunity.council)
    amount = decision.amount_pence
    if amount > limit:
        return (
            f"The recommendation is for {format_pence(amount)}, more than your delegated limit "
            f"of {format_pence(limit)}. Ask an officer with a higher limit to approve it."
        )
    return None


# --- panel progress ------------------------------------------------------------------


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


# --- results -------------------------------------------------------------------------


@dataclass
class Line:
    """One criterion's agreed result for one application, for pages and feedback."""

    criterion: Criterion
    agreed: ModeratedScore | None = None
    points: Decimal | None = None


@dataclass
class Result:
    application: Application
    lines: list[Line] = field(default_factory=list)
    complete: bool = False
    passed_gates: bool = True
    total: Decimal = Decimal(0)
    quality: Decimal = Decimal(0)
    position: int | None = None


def _budget(opportunity: Opportunity, lot: Lot | None) -> int:
    return (lot.value_pence if lot else 0) or opportunity.value_pence


def _price_points(criterion: Criterion, application: Application, lowest: int) -> Decimal:
    return scoring.price_points(
        bid_pence=application.amount_requested_pence or 0,
        lowest_pence=lowest,
        weight=criterion.weight,
        formula=criterion.price_formula,
        budget_pence=_budget(application.opportunity, application.lot),
    )


def _mark(line: Line) -> scoring.Mark:
    c, agreed = line.criterion, line.agreed
    if c.is_price:
        return scoring.Mark(weight=c.weight, points=line.points)
    return scoring.Mark(
        weight=c.weight,
        score=agreed.score if agreed else None,
        max_score=c.max_score,
        not_applicable=bool(agreed and agreed.not_applicable),
        is_quality=c.kind == CriterionKind.QUALITY,
    )


def _result(application: Application, criteria: list[Criterion], lowest: int) -> Result:
    agreed = {m.criterion_id: m for m in application.moderated_scores.all()}
    result = Result(application=application)
    for c in criteria:
        line = Line(criterion=c, agreed=agreed.get(c.pk))
        if c.is_price:
            line.points = _price_points(c, application, lowest)
        result.lines.append(line)
    result.complete = all(line.agreed for line in result.lines if not line.criterion.is_price)
    result.passed_gates = all(
        line.agreed is None or line.agreed.passed is not False
        for line in result.lines
        if line.criterion.is_gate
    )
    marks = [_mark(line) for line in result.lines if not line.criterion.is_gate]
    result.total = scoring.weighted_total(marks)
    result.quality = scoring.quality_total(marks)
    return result


def results_for_lot(opportunity: Opportunity, lot: Lot | None) -> list[Result]:
    """The lot's applications with agreed scores, totals and their place by the tie rule."""
    apps = [
        a
        for a in panel_applications(opportunity).prefetch_related("moderated_scores")
        if a.lot_id == (lot.pk if lot else None)
    ]
    criteria = [
        c
        for c in opportunity.criteria.select_related("lot")
        if c.lot_id is None or (lot and c.lot_id == lot.pk)
    ]
    prices = [a.amount_requested_pence for a in apps if a.amount_requested_pence]
    lowest = min(prices) if prices else 0
    results = [_result(a, criteria, lowest) for a in apps]
    entries = [
        scoring.Ranked(
            key=r.application.pk,
            total=r.total,
            quality=r.quality,
            submitted_at=r.application.submitted_at or timezone.now(),
            passed_gates=r.passed_gates,
        )
        for r in results
        if r.complete
    ]
    by_key = {r.application.pk: r for r in results}
    ordered = []
    for entry in scoring.rank(entries):
        by_key[entry.key].position = entry.position
        ordered.append(by_key[entry.key])
    return ordered + [r for r in results if not r.complete]


def lots_of(opportunity: Opportunity) -> list[Lot | None]:
    return list(opportunity.lots.all()) or [None]


def results_by_lot(opportunity: Opportunity) -> list[tuple[Lot | None, list[Result]]]:
    return [(lot, results_for_lot(opportunity, lot)) for lot in lots_of(opportunity)]


def track_record(organisation: Any) -> Any:
    """The organisation's monitoring record as risk information, when monitoring provides it."""
    try:
        from thrive.monitoring.selectors import track_record as monitoring_track_record
    except ImportError:
        return None
    try:
        return monitoring_track_record(organisation)
    except Exception:  # noqa: BLE001 - risk information must never break scoring
        return None


def other_funding(organisation: Any) -> Any:
    """Other funders' grants and other buyers' contracts of the organisation, as risk
    information: who else funds it, how much, in which years (§3.2)."""
    from thrive.opendata.selectors import other_funding_of

    return other_funding_of(organisation)


def approvers_for(decision: Decision) -> list[Any]:
    """The officers who may approve the recommendation, by the rules ``approve`` applies.

    The policy's approvers of the council, less the recommender and the panel's members,
    whose delegated limit covers the amount.
    """
    from thrive.accounts.selectors import staff_who_may
    from thrive.assessment.rules import APPROVER_ROLES

    council = decision.opportunity.council
    limits = limits_for_council(council)
    on_panel = set(
        PanelMember.objects.filter(panel__opportunity_id=decision.opportunity_id).values_list(
            "user_id", flat=True
        )
    )
    amount = decision.amount_pence
    return [
        person
        for person in staff_who_may(
            council=council,
            roles=APPROVER_ROLES,
            # The officers who approve for the council; the rest of ``approval_refusal`` is
            # applied below for all of them at once.
            action="assessment.decision.approver",
            obj=decision,
        )
        if decision.status == DecisionStatus.RECOMMENDED
        and person.pk != decision.recommended_by_id
        and person.pk not in on_panel
        and delegated_limit(person, council, limits) >= amount
    ]

"""API for assessment: assessors list their panels, declare conflicts and submit scores;
staff who may read results read the moderated results. The same services and policy as the
pages; a conflicted assessor gets 403, a sealed bid is not found."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Status

from thrive.assessment import selectors
from thrive.assessment.schemas import (
    AssignmentOut,
    DecisionNoteIn,
    DecisionOut,
    DecisionYearOut,
    DeclarationIn,
    DeclarationOut,
    LineOut,
    ModerationOut,
    ResultOut,
    ResultsOut,
    ScoreOut,
    ScoresIn,
    WinnerOut,
)
from thrive.assessment.scoring import TIE_RULE
from thrive.assessment.services import decisions, panels, scores
from thrive.assessment.services.scores import Given
from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ, ERRORS_WRITE, ApiError
from thrive.core.api.types import Id
from thrive.organisations.models import Organisation

router = Router(tags=["assessment"])


@router.get(
    "/assessment/assignments",
    response={200: list[AssignmentOut], **ERRORS_READ},
    summary="The panels you sit on",
)
def list_assignments(request: HttpRequest) -> list[AssignmentOut]:
    """Your panels, whether you have declared, and whether moderation has opened."""
    out = []
    for member in selectors.assignments_for(request.auth):
        opportunity, latest = member.panel.opportunity, member.latest
        out.append(
            AssignmentOut(
                opportunity_id=opportunity.pk,
                opportunity_reference=opportunity.reference,
                title=opportunity.title,
                closes_at=opportunity.closes_at,
                declared=latest is not None,
                has_conflict=latest.has_conflict if latest else None,
                conflict_organisation_ids=[o.pk for o in latest.organisations.all()]
                if latest
                else [],
                moderation_open=member.panel.moderation_open,
            )
        )
    return out


def _member(user: Any, opportunity_id: int) -> Any:
    opportunity = selectors.get_opportunity(pk=opportunity_id)
    policy.require(user, "assessment.declare", opportunity)
    return selectors.membership(user, opportunity)


@router.post(
    "/assessment/panels/{opportunity_id}/declaration",
    response={201: DeclarationOut, **ERRORS_WRITE},
    summary="Declare your conflicts of interest",
)
def declare(request: HttpRequest, opportunity_id: Id, payload: DeclarationIn) -> Any:
    """Record a declaration before seeing applications; the latest one counts.

    Errors: 403 when you are not on the panel; 400 (``errors.organisations``, ``errors.note``)
    when a conflict names no organisation or has no description; 404 for an unknown
    opportunity.
    """
    member = _member(request.auth, opportunity_id)
    organisations = list(Organisation.objects.filter(pk__in=payload.organisation_ids))
    declaration = panels.declare_conflict(
        member=member,
        has_conflict=payload.has_conflict,
        organisations=organisations,
        note=payload.note,
    )
    return Status(
        201,
        DeclarationOut(
            id=declaration.pk,
            has_conflict=declaration.has_conflict,
            organisation_ids=[o.pk for o in declaration.organisations.all()],
            note=declaration.note,
            declared_at=declaration.declared_at,
        ),
    )


@router.post(
    "/assessment/applications/{application_id}/scores",
    response={200: list[ScoreOut], **ERRORS_WRITE},
    summary="Submit your scores for an application",
)
def submit_scores(request: HttpRequest, application_id: Id, payload: ScoresIn) -> list[ScoreOut]:
    """Submit a score (on the criterion's scale), ``not_applicable: true`` or, for a gate,
    ``passed``, with a comment, for each criterion that assessors score (not price).

    Errors: 400 with ``errors`` keyed ``criterion_<id>`` (no score, a score off the scale,
    both a score and not applicable, price criteria, unknown criteria) or ``comment_<id>``
    (no comment), or a message when you have not declared or scoring has closed; 403 when
    you are not on the panel or declared a conflict with the applicant; 404 for an unknown
    application or a sealed bid not yet opened.
    """
    user = request.auth
    application = selectors.get_application(pk=application_id)
    if not selectors.panel_applications(application.opportunity).filter(pk=application.pk).exists():
        raise Http404("No such application")
    policy.require(user, "assessment.score", application)
    member = selectors.membership(user, application.opportunity)
    criteria = {c.pk: c for c in selectors.criteria_for(application)}
    unknown = [s.criterion_id for s in payload.scores if s.criterion_id not in criteria]
    if unknown:
        raise ApiError(
            400,
            "invalid",
            "Unknown criteria",
            {f"criterion_{pk}": ["No such criterion for this application"] for pk in unknown},
        )
    given = [
        Given(
            criterion=criteria[s.criterion_id],
            score=s.score,
            not_applicable=s.not_applicable,
            passed=s.passed,
            comment=s.comment,
        )
        for s in payload.scores
    ]
    saved = scores.record_scores(member=member, application=application, given=given)
    return [
        ScoreOut(
            criterion_id=s.criterion_id,
            score=s.score,
            not_applicable=s.not_applicable,
            passed=s.passed,
            comment=s.comment,
        )
        for s in saved
    ]


def _line(line: selectors.Line) -> LineOut:
    agreed = line.agreed
    return LineOut(
        criterion_id=line.criterion.pk,
        criterion=line.criterion.title,
        weight=line.criterion.weight,
        gate=line.criterion.is_gate,
        agreed_score=agreed.score if agreed else None,
        not_applicable=bool(agreed and agreed.not_applicable),
        passed=agreed.passed if agreed else None,
        assessor_mean=agreed.assessor_mean if agreed else None,
        price_points=line.points,
        reason=agreed.reason if agreed else "",
    )


@router.get(
    "/assessment/panels/{opportunity_id}/results",
    response={200: ResultsOut, **ERRORS_READ},
    summary="Moderated results and ranking (staff)",
)
def results(request: HttpRequest, opportunity_id: Id) -> ResultsOut:
    """Agreed scores, totals and ranks per lot, by the stated tie rule. Staff who read the
    opportunity's applications only (panel members once moderation opens).

    Errors: 403 for anyone else; 404 for an unknown opportunity."""
    user = request.auth
    opportunity = selectors.get_opportunity(pk=opportunity_id)
    if not policy.is_staff_user(user):
        raise PermissionDenied("Staff only")
    policy.require(user, "assessment.results.view", opportunity)
    panel = selectors.panel_of(opportunity)
    found = [
        ResultOut(
            application_id=r.application.pk,
            reference=r.application.reference,
            organisation=r.application.organisation.name,
            lot=lot.number if lot else None,
            rank=r.position,
            total=r.total,
            quality_total=r.quality,
            passed_gates=r.passed_gates,
            moderated=r.complete,
            lines=[_line(line) for line in r.lines],
        )
        for lot, rows in selectors.results_by_lot(opportunity)
        for r in rows
    ]
    return ResultsOut(
        tie_rule=TIE_RULE, moderation_open=bool(panel and panel.moderation_open), results=found
    )


# --- moderation and decisions ------------------------------------------------------------


@router.post(
    "/assessment/panels/{opportunity_id}/moderation",
    response={200: ModerationOut, **ERRORS_WRITE},
    summary="Open moderation: close scoring and show the panel every score",
)
def open_moderation(request: HttpRequest, opportunity_id: Id) -> ModerationOut:
    """Close scoring and open moderation, as the panel page does.

    Errors: 400 when the opportunity has no panel, moderation is already open or no
    application has a score yet; 403 unless you run the panel (a commissioner of its
    directorate or a procurement officer); 404 for an unknown opportunity.
    """
    opportunity = selectors.get_opportunity(pk=opportunity_id)
    policy.require(request.auth, "assessment.panel.manage", opportunity)
    panel = selectors.panel_of(opportunity)
    if panel is None:
        raise ApiError(400, "invalid", "The opportunity has no panel yet")
    opened = scores.open_moderation(panel=panel, actor=request.auth)
    return ModerationOut(
        opportunity_id=opportunity.pk,
        moderation_open=opened.moderation_open,
        opened_at=opened.moderation_opened_at,
    )


def _decision_out(decision: Any) -> DecisionOut:
    winners = decision.winners.select_related("application__organisation", "award")
    return DecisionOut(
        id=decision.pk,
        opportunity_id=decision.opportunity_id,
        opportunity_reference=decision.opportunity.reference,
        lot=decision.lot.number if decision.lot_id else None,
        status=decision.status,
        amount_pence=decision.amount_pence,
        start_date=decision.start_date,
        end_date=decision.end_date,
        reason=decision.reason,
        recommended_by=str(decision.recommended_by),
        recommended_at=decision.recommended_at,
        decided_by=str(decision.decided_by) if decision.decided_by_id else None,
        decided_at=decision.decided_at,
        decision_note=decision.decision_note,
        standstill_ends_at=decision.standstill_ends_at,
        winners=[
            WinnerOut(
                application_id=w.application_id,
                application_reference=w.application.reference,
                organisation=w.application.organisation.name,
                amount_pence=w.amount_pence,
                award_reference=w.award.reference if w.award_id else None,
            )
            for w in winners
        ],
        years=[
            DecisionYearOut(
                financial_year=year.part.label,
                amount_pence=year.part.amount_pence,
                pot=str(year.pot) if year.pot is not None else None,
                remaining_pence=year.remaining_pence,
            )
            for year in decisions.planned_years(decision=decision)
        ],
    )


def _decision_for(user: Any, decision_id: int, action: str) -> Any:
    decision = selectors.get_decision(pk=decision_id)
    policy.require(user, "assessment.decision.view", decision)
    if action != "assessment.decision.view":
        policy.require(user, action, decision)
    return decision


@router.get(
    "/assessment/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS_READ},
    summary="A recommendation and its decision",
)
def get_decision(request: HttpRequest, decision_id: Id) -> DecisionOut:
    """The recommendation (winners, amounts, reason) and, once decided, who decided, when,
    why and any standstill. Errors: 403 for staff who may not see it; 404 when unknown."""
    return _decision_out(_decision_for(request.auth, decision_id, "assessment.decision.view"))


@router.post(
    "/assessment/decisions/{decision_id}/approve",
    response={200: DecisionOut, **ERRORS_WRITE},
    summary="Approve a recommendation within your delegated limit",
)
def approve_decision(request: HttpRequest, decision_id: Id, payload: DecisionNoteIn) -> Any:
    """Approve, as the decision page does: applicants are told, grants are awarded at once and
    contracts wait for the standstill.

    Errors: 400 when it is not awaiting approval, is your own recommendation, you sit on the
    panel, or it is more than your delegated limit (the message names both amounts); 403
    when your role may not approve; 404 when unknown.
    """
    decision = _decision_for(request.auth, decision_id, "assessment.decision.approver")
    decisions.approve(decision=decision, actor=request.auth, note=payload.note)
    return _decision_out(selectors.get_decision(pk=decision.pk))


@router.post(
    "/assessment/decisions/{decision_id}/send-back",
    response={200: DecisionOut, **ERRORS_WRITE},
    summary="Send a recommendation back to the panel, with the reason",
)
def send_back_decision(request: HttpRequest, decision_id: Id, payload: DecisionNoteIn) -> Any:
    """Refuse the recommendation; the panel may recommend again.

    Errors: 400 (``errors.note``) without a reason, or when it is not awaiting approval;
    403 when your role may not decide; 404 when unknown.
    """
    decision = _decision_for(request.auth, decision_id, "assessment.decision.approver")
    decisions.send_back(decision=decision, actor=request.auth, note=payload.note)
    return _decision_out(selectors.get_decision(pk=decision.pk))

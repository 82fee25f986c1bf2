"""Recommendation, approval within delegated limits, notification, standstill and the award.

§4.4: the panel recommends the most economically advantageous offer(s); an officer whose
delegated limit covers the amount approves, never their own recommendation. Contracts
wait for the standstill period before the award is made; grants are awarded on approval.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.applications.models import Application, ApplicationStatus
from thrive.applications.services.outcomes import set_assessment_status
from thrive.assessment import selectors, tasks
from thrive.assessment.models import Decision, DecisionStatus, Winner
from thrive.audit.services import log_action
from thrive.awards import services as award_services
from thrive.awards.models import Award
from thrive.awards.years import PlannedYear, plan_by_year
from thrive.core.dates import format_deadline
from thrive.core.tasks import enqueue_with_transaction
from thrive.opportunities.models import Lot, Opportunity, OpportunityKind
from thrive.strategy.models import FundingPot

AWARD_KINDS = {
    OpportunityKind.SMALL_GRANTS: "small_grant",
    OpportunityKind.GRANT_ROUND: "funding_agreement",
    OpportunityKind.RFQ: "contract",
    OpportunityKind.TENDER: "contract",
}


def is_contract(*, opportunity: Opportunity) -> bool:
    """Whether the opportunity ends in a contract (which waits for the standstill period)."""
    return AWARD_KINDS[opportunity.kind] == "contract"


def planned_years(*, decision: Decision) -> list[PlannedYear]:
    """The decision's money by financial year, each year with its pot and what remains."""
    return plan_by_year(
        kind=AWARD_KINDS[decision.opportunity.kind],
        amount_pence=decision.amount_pence,
        start_date=decision.start_date,
        end_date=decision.end_date,
        pot=decision.pot,
    )


def _check_recommendation(
    opportunity: Opportunity, lot: Lot | None, applications: list[Application]
) -> list[selectors.Result]:
    if not applications:
        raise ValidationError({"applications": "Select the application(s) you recommend"})
    open_decision = Decision.objects.filter(opportunity=opportunity, lot=lot).exclude(
        status=DecisionStatus.REJECTED
    )
    if open_decision.exists():
        raise ValidationError("This lot already has a recommendation or decision")
    results = {r.application.pk: r for r in selectors.results_for_lot(opportunity, lot)}
    chosen = []
    for application in applications:
        result = results.get(application.pk)
        if result is None or not result.complete:
            raise ValidationError(
                {"applications": f"{application} has not been moderated in this lot"}
            )
        if not result.passed_gates:
            raise ValidationError({"applications": f"{application} failed a pass or fail gate"})
        if not application.amount_requested_pence:
            raise ValidationError({"applications": f"{application} does not state an amount"})
        chosen.append(result)
    return chosen


def recommend(
    *,
    opportunity: Opportunity,
    lot: Lot | None,
    applications: list[Application],
    pot: FundingPot | None,
    start_date: date,
    end_date: date,
    reason: str,
    actor: User,
) -> Decision:
    """Recommend the ranked winner(s) of a lot, the amount and the pot, for approval."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reasons for the recommendation"})
    if end_date < start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date"})
    if pot is not None and pot.council_id != opportunity.council_id:
        raise ValidationError({"pot": "Choose a pot of the council running the opportunity"})
    if pot is not None and pot.merged_into_id:
        raise ValidationError({"pot": f"{pot} has been merged into {pot.merged_into}"})
    chosen = _check_recommendation(opportunity, lot, applications)
    with transaction.atomic():
        decision = Decision.objects.create(
            opportunity=opportunity,
            lot=lot,
            pot=pot,
            start_date=start_date,
            end_date=end_date,
            reason=reason.strip(),
            recommended_by=actor,
        )
        for result in chosen:
            Winner.objects.create(
                decision=decision,
                application=result.application,
                amount_pence=result.application.amount_requested_pence,
                rank=result.position,
            )
        log_action(
            action="assessment.decision.recommended",
            actor=actor,
            obj=decision,
            after={
                "opportunity": opportunity.reference,
                "lot": lot.number if lot else None,
                "applications": [r.application.reference for r in chosen],
                "amount_pence": decision.amount_pence,
                "pot": pot.pk if pot else None,
            },
            reason=reason,
            council=opportunity.council,
        )
        enqueue_with_transaction(tasks.send_approval_requested, decision.pk)
    return decision


def _check_approver(decision: Decision, actor: User) -> None:
    problem = selectors.approval_refusal(decision, actor)
    if problem:
        raise ValidationError(problem)


def approve(
    *, decision: Decision, actor: User, note: str = "", now: datetime | None = None
) -> Decision:
    """Approve within the officer's delegated limit, tell every applicant, and for grants
    make the awards now (contracts wait for the standstill period)."""
    now = now or timezone.now()
    _check_approver(decision, actor)
    try:
        return _approve(decision=decision, actor=actor, note=note, now=now)
    except ValidationError:
        # A refused award (a year's pot lost the budget race) undoes the approval: show the
        # decision as it is, still recommended, not as this attempt left it in memory.
        decision.refresh_from_db()
        raise


def _approve(*, decision: Decision, actor: User, note: str, now: datetime) -> Decision:
    opportunity = decision.opportunity
    with transaction.atomic():
        decision.status = DecisionStatus.APPROVED
        decision.decided_by = actor
        decision.decided_at = now
        decision.decision_note = note.strip()
        if is_contract(opportunity=opportunity):
            days = selectors.standstill_days(opportunity.council)
            decision.standstill_ends_at = now + timedelta(days=days)
        decision.save()
        log_action(
            action="assessment.decision.approved",
            actor=actor,
            obj=decision,
            before={"status": DecisionStatus.RECOMMENDED},
            after={
                "status": decision.status,
                "amount_pence": decision.amount_pence,
                "standstill_ends_at": decision.standstill_ends_at,
            },
            reason=note,
            council=opportunity.council,
        )
        _set_results(decision, actor)
        if not is_contract(opportunity=opportunity):
            for winner in decision.winners.select_related("application__organisation"):
                make_award(winner=winner, actor=actor, now=now)
    return decision


def _set_results(decision: Decision, actor: User) -> None:
    winners = set(decision.winners.values_list("application_id", flat=True))
    lot_id = decision.lot_id
    for application in selectors.panel_applications(decision.opportunity):
        if application.lot_id != lot_id or application.status not in (
            ApplicationStatus.ELIGIBLE,
            ApplicationStatus.UNDER_ASSESSMENT,
        ):
            continue
        successful = application.pk in winners
        set_assessment_status(
            application=application,
            status=ApplicationStatus.SUCCESSFUL if successful else ApplicationStatus.UNSUCCESSFUL,
            actor=actor,
            reason=f"Decision #{decision.pk} approved",
        )
        enqueue_with_transaction(tasks.send_outcome, application.pk, decision.pk)


def send_back(*, decision: Decision, actor: User, note: str) -> Decision:
    """Refuse a recommendation, with the reason; the panel may recommend again."""
    if not note.strip():
        raise ValidationError({"note": "Enter why the recommendation is sent back"})
    if decision.status != DecisionStatus.RECOMMENDED:
        raise ValidationError("Only a recommendation awaiting approval can be decided")
    with transaction.atomic():
        decision.status = DecisionStatus.REJECTED
        decision.decided_by = actor
        decision.decided_at = timezone.now()
        decision.decision_note = note.strip()
        decision.save()
        log_action(
            action="assessment.decision.sent_back",
            actor=actor,
            obj=decision,
            before={"status": DecisionStatus.RECOMMENDED},
            after={"status": decision.status},
            reason=note,
            council=decision.opportunity.council,
        )
    return decision


def make_award(*, winner: Winner, actor: User, now: datetime | None = None) -> Award:
    """Make the award for an approved winner through the awards service (after standstill
    for a contract); a pot that cannot cover it refuses with the pot's own message."""
    now = now or timezone.now()
    decision = winner.decision
    if decision.status != DecisionStatus.APPROVED:
        raise ValidationError("The recommendation has not been approved")
    if winner.award_id:
        raise ValidationError("The award has already been made")
    ends = decision.standstill_ends_at
    if ends is not None and now < ends:
        raise ValidationError(
            f"The standstill period ends at {format_deadline(ends)}; "
            "the contract can be awarded after that"
        )
    application, opportunity = winner.application, decision.opportunity
    with transaction.atomic():
        award = award_services.create_award(
            organisation=application.organisation,
            council=opportunity.council,
            directorate=opportunity.directorate,
            kind=AWARD_KINDS[opportunity.kind],
            title=f"{opportunity.title}{f' (lot {decision.lot.number})' if decision.lot else ''}",
            amount_pence=winner.amount_pence,
            start_date=decision.start_date,
            end_date=decision.end_date,
            actor=actor,
            pot=decision.pot,
            application=application,
            opportunity=opportunity,
            lot=decision.lot,
            outcomes=list(opportunity.outcomes.all()),
            reason=f"Decision #{decision.pk} approved by {decision.decided_by}",
        )
        winner.award = award
        winner.awarded_at = now
        winner.save(update_fields=["award", "awarded_at"])
        log_action(
            action="assessment.award.made",
            actor=actor,
            obj=winner,
            after={"award": award.pk, "amount_pence": winner.amount_pence},
            council=opportunity.council,
        )
    return award

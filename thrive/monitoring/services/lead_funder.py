"""The lead funder: one consolidated plan for an organisation several directorates fund (§4.3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.awards.models import Award
from thrive.monitoring import selectors
from thrive.monitoring.models import LeadFunder, MonitoringPlan, PlanStatus, Visit
from thrive.monitoring.services.plans import (
    _apply_tier,
    _bridge_gaps,
    _generate_returns,
    _person,
    _untouched,
)

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User
    from thrive.organisations.models import Organisation
    from thrive.strategy.models import Directorate


def _consolidated_start(old_plans: list[MonitoringPlan], awards: list[Award]) -> date:
    """The first day no separate plan has a return for: the consolidated plan starts there.

    Returns kept on the separate plans (reported, begun or for periods already ended) stay
    theirs; the consolidated plan starts the day after the last of them, so no day is
    reported twice.
    """
    start = min(a.start_date for a in awards)
    for old in old_plans:
        last = old.returns.order_by("-period_end").values_list("period_end", flat=True).first()
        if last is not None:
            start = max(start, min(last, old.end_date) + timedelta(days=1))
    return start


def _retire_separate_plans(
    *, council: Council, organisation: Organisation, awards: list[Award], today: date
) -> tuple[list[MonitoringPlan], date]:
    """End the organisation's separate plans; return them and the day consolidation starts.

    Their untouched returns still to come are dropped and the days before the start are
    given returns of their own, reported to each award's own funder (§4.3).
    """
    LeadFunder.objects.filter(council=council, organisation=organisation, active=True).update(
        active=False
    )
    old_plans = list(
        MonitoringPlan.objects.filter(
            council=council, organisation=organisation, status=PlanStatus.ACTIVE
        ).select_related("tier")
    )
    for old in old_plans:
        _untouched(old.returns.filter(period_end__gte=today)).delete()
    start = _consolidated_start(old_plans, awards)
    for old in old_plans:
        _bridge_gaps(old, until=start - timedelta(days=1), today=today)
    MonitoringPlan.objects.filter(pk__in=[p.pk for p in old_plans]).update(status=PlanStatus.MERGED)
    return old_plans, start


def appoint_lead_funder(
    *,
    council: Council,
    organisation: Organisation,
    directorate: Directorate,
    actor: User | None,
    reason: str = "",
) -> LeadFunder:
    """Appoint a lead directorate and replace the separate plans with one consolidated plan."""
    awards = list(selectors.active_awards(organisation, council))
    if len({a.directorate_id for a in awards}) < 2:
        raise ValidationError("A lead funder is appointed only where several directorates fund")
    if directorate.pk not in {a.directorate_id for a in awards}:
        raise ValidationError({"directorate": "Choose a directorate that funds the organisation"})
    rule = selectors.settings_for(council=council).lead_rule
    proposed, _why = selectors.propose_lead(selectors.funding_by_directorate(awards), rule)
    with transaction.atomic():
        old_plans, start = _retire_separate_plans(
            council=council, organisation=organisation, awards=awards, today=timezone.localdate()
        )
        plan = MonitoringPlan(
            council=council,
            organisation=organisation,
            lead_directorate=directorate,
            consolidated=True,
            start_date=start,
            end_date=max(a.end_date for a in awards),
            created_by=_person(actor),
        )
        _apply_tier(plan, awards)
        plan.save()
        plan.awards.set(awards)
        if plan.start_date <= plan.end_date:
            _generate_returns(plan)
        lead = LeadFunder.objects.create(
            council=council,
            organisation=organisation,
            directorate=directorate,
            proposed_directorate=proposed,
            rule=rule,
            reason=reason,
            plan=plan,
            appointed_by=_person(actor),
        )
        log_action(
            action="monitoring.lead_funder.appointed",
            actor=actor,
            obj=lead,
            before={"plans": [p.pk for p in old_plans]},
            after={
                "directorate": directorate.pk,
                "proposed": proposed.pk if proposed else None,
                "plan": plan.pk,
                "awards": [a.pk for a in awards],
            },
            reason=reason,
            council=council,
        )
    return lead


def record_visit(
    *,
    plan: MonitoringPlan,
    actor: User | None,
    kind: str,
    planned_for: date,
    happened_on: date | None = None,
    notes: str = "",
) -> Visit:
    """Record a visit, inspection or review meeting co-ordinated by the plan's lead (§4.3)."""
    visit = Visit(
        plan=plan,
        kind=kind,
        planned_for=planned_for,
        happened_on=happened_on,
        notes=notes,
        recorded_by=_person(actor),
    )
    visit.full_clean()
    with transaction.atomic():
        visit.save()
        log_action(
            action="monitoring.visit.recorded",
            actor=actor,
            obj=plan,
            after={"kind": kind, "planned_for": planned_for.isoformat()},
            council=plan.council,
        )
    return visit

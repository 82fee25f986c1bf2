"""Monitoring plans: made when an award becomes active, fitted again when it is varied (§4.2)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.awards.models import Award
from thrive.monitoring import tiers as tier_rules
from thrive.monitoring.models import (
    AwardSpend,
    LeadFunder,
    MonitoringPlan,
    MonitoringReturn,
    PlanStatus,
    Rating,
    ReturnAttachment,
    ReturnStatus,
    TargetProgress,
)
from thrive.monitoring.services.tiers import ensure_default_tiers

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User
    from thrive.organisations.models import Organisation


def _person(actor: User | None) -> User | None:
    """The user to record as having done it: nobody for the system or an anonymous caller."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- plans ---------------------------------------------------------------------------------


def past_red(*, organisation: Organisation, council: Council) -> bool:
    """Whether any of the organisation's returns to the council was rated red."""
    return MonitoringReturn.objects.filter(
        plan__organisation=organisation, plan__council=council, rating=Rating.RED
    ).exists()


def facts_for(*, awards: list[Award], start: date | None = None) -> tier_rules.TierFacts:
    """The facts the tier rules look at, for one award or a consolidated plan's awards."""
    first = awards[0]
    organisation, council = first.organisation, first.council
    start = start or min(a.start_date for a in awards)
    end = max(a.end_date for a in awards)
    earliest = min(a.start_date for a in awards)
    earlier = (
        Award.objects.funded()
        .filter(organisation=organisation, council=council, start_date__lt=earliest)
        .exclude(pk__in=[a.pk for a in awards])
        .exists()
    )
    kinds = set()
    for award in awards:
        kinds.update(award.outcomes.values_list("kind", flat=True))
    return tier_rules.TierFacts(
        value_pence=sum(a.amount_pence for a in awards),
        duration_months=tier_rules.months_between(start, end),
        new_organisation=not earlier,
        past_red=past_red(organisation=organisation, council=council),
        outcome_kinds=frozenset(kinds),
        size_band=organisation.size_band or "unknown",
    )


def _apply_tier(plan: MonitoringPlan, awards: list[Award]) -> None:
    tiers = ensure_default_tiers(council=plan.council)
    facts = facts_for(awards=awards, start=plan.start_date)
    choice = tier_rules.choose_tier(tiers, facts)
    if choice is None:
        raise ValidationError("No monitoring tier applies; add a rule that matches any award")
    tier = choice.tier
    plan.tier = tier
    plan.tier_name = tier.name
    plan.tier_reason = choice.explanation
    plan.schedule = tier.schedule
    plan.return_size = tier.return_size
    plan.annual_review_meeting = tier.annual_review_meeting


def _generate_returns(plan: MonitoringPlan, start: date | None = None) -> list[MonitoringReturn]:
    """Lay out the plan's returns from ``start`` (the plan's start by default) to its end."""
    days = plan.tier.days_to_report if plan.tier else 28
    periods = tier_rules.schedule_periods(
        start=start or plan.start_date,
        end=plan.end_date,
        schedule=plan.schedule,
        days_to_report=days,
    )
    return MonitoringReturn.objects.bulk_create(
        MonitoringReturn(
            plan=plan,
            period_start=p.start,
            period_end=p.end,
            due_date=p.due,
            final=p.final,
        )
        for p in periods
    )


def active_plan_for(*, award: Award) -> MonitoringPlan | None:
    """The award's plan still running, if it has one."""
    return award.monitoring_plans.filter(status=PlanStatus.ACTIVE).first()


def create_plan_for_award(*, award: Award, actor: User | None = None) -> MonitoringPlan:
    """Give a newly active award its plan, or add it to its lead funder's plan (§4.3).

    Idempotent: an award already on an active plan keeps it.
    """
    existing = active_plan_for(award=award)
    if existing is not None:
        return existing
    lead = (
        LeadFunder.objects.filter(
            council=award.council, organisation=award.organisation, active=True
        )
        .select_related("plan")
        .first()
    )
    if lead is not None and lead.plan and lead.plan.status == PlanStatus.ACTIVE:
        return _join_consolidated_plan(plan=lead.plan, award=award, actor=actor)
    with transaction.atomic():
        plan = MonitoringPlan(
            council=award.council,
            organisation=award.organisation,
            lead_directorate=award.directorate,
            start_date=award.start_date,
            end_date=award.end_date,
            created_by=_person(actor),
        )
        _apply_tier(plan, [award])
        plan.save()
        plan.awards.add(award)
        _generate_returns(plan)
        log_action(
            action="monitoring.plan.created",
            actor=actor,
            obj=plan,
            after={"awards": [award.pk], "tier": plan.tier_name, "schedule": plan.schedule},
            reason=plan.tier_reason,
            council=award.council,
        )
    return plan


def _untouched(returns: QuerySet[MonitoringReturn]) -> QuerySet[MonitoringReturn]:
    """Returns nobody has started: due, never submitted, with nothing entered or attached."""
    started = [
        model.objects.filter(monitoring_return=OuterRef("pk"))
        for model in (AwardSpend, TargetProgress, ReturnAttachment)
    ]
    untouched = returns.filter(
        status=ReturnStatus.DUE,
        submitted_at__isnull=True,
        spend_pence__isnull=True,
        volunteers_count__isnull=True,
        volunteer_hours__isnull=True,
        case_studies="",
        narrative="",
    )
    for query in started:
        untouched = untouched.exclude(Exists(query))
    return untouched


def _bridge_gaps(plan: MonitoringPlan, *, until: date, today: date) -> list[MonitoringReturn]:
    """Give each day of the plan up to ``until`` a return, adding bridging returns for gaps.

    Gaps are laid out on the plan's schedule. When a lead funder is appointed, the days
    between an award's last kept return and the consolidated plan's start are reported on
    the award's own plan, to its own funder (§4.3).
    """
    end = min(until, plan.end_date)
    gaps, day = [], plan.start_date
    for item in plan.returns.order_by("period_start"):
        if item.period_start > day:
            gaps.append((day, min(item.period_start - timedelta(days=1), end)))
        day = max(day, item.period_end + timedelta(days=1))
    gaps.append((day, end))
    days = plan.tier.days_to_report if plan.tier else 28
    periods = [
        period
        for first, last in gaps
        if first <= last
        for period in tier_rules.schedule_periods(
            start=first, end=last, schedule=plan.schedule, days_to_report=days
        )
    ]
    return MonitoringReturn.objects.bulk_create(
        MonitoringReturn(
            plan=plan,
            period_start=p.start,
            period_end=p.end,
            due_date=max(p.end, today) + timedelta(days=days),
            final=p.end >= plan.end_date,
        )
        for p in periods
    )


def _replace_future_returns(plan: MonitoringPlan, today: date) -> None:
    """Drop untouched returns still running or to come, and lay the schedule out again.

    Returns already started (saved, submitted or decided) and those for periods that have
    ended are kept, so nothing is lost; the days between kept returns get returns of their
    own and the new schedule starts the day after the last kept period, so no days go
    unreported. When the plan now ends within a kept period, the last
    kept return becomes the final one.
    """
    _untouched(plan.returns.filter(period_end__gte=today)).delete()
    last = plan.returns.order_by("-period_end").first()
    if last is not None:  # a return begun ahead of time is kept; report the days before it
        _bridge_gaps(plan, until=last.period_end, today=today)
    start = last.period_end + timedelta(days=1) if last else plan.start_date
    if start <= plan.end_date:
        plan.returns.filter(final=True).update(final=False)
        _generate_returns(plan, start=start)
    elif last is not None:
        plan.returns.exclude(pk=last.pk).filter(final=True).update(final=False)
        plan.returns.filter(pk=last.pk).update(final=True)


def _join_consolidated_plan(
    *, plan: MonitoringPlan, award: Award, actor: User | None
) -> MonitoringPlan:
    today = timezone.localdate()
    with transaction.atomic():
        plan.awards.add(award)
        awards = list(plan.awards.all())
        plan.start_date = max(today, min(a.start_date for a in awards))
        plan.end_date = max(a.end_date for a in awards)
        _apply_tier(plan, awards)
        plan.save()
        _replace_future_returns(plan, today)
        log_action(
            action="monitoring.plan.award_added",
            actor=actor,
            obj=plan,
            after={"award": award.pk, "tier": plan.tier_name},
            reason=plan.tier_reason,
            council=plan.council,
        )
    return plan


def replan_for_award(*, award: Award, actor: User | None = None) -> MonitoringPlan | None:
    """After a variation, fit the award's plan to it again: its end, its tier, its returns.

    A longer or shorter term moves the plan's end; a new value may move it to another tier
    and schedule (§4.2); a termination ends it at the award's end. Returns already started
    or for periods that have ended are kept; the rest are laid out again. A plan already
    closed (its final return accepted) opens again when the award now runs past its end.
    """
    plan = active_plan_for(award=award) or (
        award.monitoring_plans.filter(status=PlanStatus.CLOSED).order_by("-end_date").first()
    )
    if plan is None:
        return None
    today = timezone.localdate()
    with transaction.atomic():
        plan = MonitoringPlan.objects.select_for_update().get(pk=plan.pk)
        awards = list(plan.awards.all())
        new_end = max(a.end_date for a in awards)
        if plan.status == PlanStatus.CLOSED and new_end <= plan.end_date:
            return plan  # nothing more to monitor
        before = {
            "tier": plan.tier_name,
            "schedule": plan.schedule,
            "end_date": plan.end_date.isoformat(),
            "status": plan.status,
        }
        plan.status = PlanStatus.ACTIVE
        plan.end_date = new_end
        _apply_tier(plan, awards)
        plan.save()
        _replace_future_returns(plan, today)
        _close_when_done(plan, actor)
        after = {
            "tier": plan.tier_name,
            "schedule": plan.schedule,
            "end_date": plan.end_date.isoformat(),
            "status": plan.status,
        }
        log_action(
            action="monitoring.plan.replanned",
            actor=actor,
            obj=plan,
            before=before,
            after={**after, "award": award.pk},
            reason=f"{award.reference} was varied; {plan.tier_reason}"[:500],
            council=plan.council,
        )
    return plan


def _close_when_done(plan: MonitoringPlan, actor: User | None) -> None:
    """Close a plan once its final return is accepted and nothing else is outstanding."""
    if plan.status != PlanStatus.ACTIVE:
        return
    if plan.returns.exclude(status=ReturnStatus.ACCEPTED).exists():
        return
    if not plan.returns.filter(final=True).exists():
        return
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    log_action(
        action="monitoring.plan.closed",
        actor=actor,
        obj=plan,
        before={"status": PlanStatus.ACTIVE},
        after={"status": PlanStatus.CLOSED},
        reason="The final return was accepted and no other return is outstanding",
        council=plan.council,
    )

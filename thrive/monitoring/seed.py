"""Demo monitoring: a plan per funded award by the tier rules, returns over the years with
ratings and progress, some overdue and some awaiting review, and one lead funder.

Made in bulk so county scale stays fast; the service is used only for the lead funder.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thrive.awards.models import Award, AwardStatus, AwardTarget
from thrive.core.seeding import SeedContext
from thrive.monitoring import selectors, services
from thrive.monitoring import tiers as tier_rules
from thrive.monitoring.models import (
    MonitoringPlan,
    MonitoringReturn,
    MonitoringSettings,
    NoticeKind,
    PlanStatus,
    ReturnNotice,
    ReturnStatus,
    TargetProgress,
)

BATCH = 2000
NARRATIVES = [
    "Steady progress; two new groups started this period.",
    "Demand rose over the winter and we recruited more volunteers.",
    "A slower period while we replaced our co-ordinator; back on track now.",
    "We met most targets and started a partnership with the local surgery.",
]


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11)))


def _plan_for(row: dict[str, Any], tiers: list[Any], facts: tier_rules.TierFacts) -> Any:
    choice = tier_rules.choose_tier(tiers, facts)
    tier = choice.tier
    return MonitoringPlan(
        council_id=row["council_id"],
        organisation_id=row["organisation_id"],
        lead_directorate_id=row["directorate_id"],
        tier=tier,
        tier_name=tier.name,
        tier_reason=choice.explanation,
        schedule=tier.schedule,
        return_size=tier.return_size,
        annual_review_meeting=tier.annual_review_meeting,
        start_date=row["start_date"],
        end_date=row["end_date"],
        status=PlanStatus.ACTIVE if row["status"] == AwardStatus.ACTIVE else PlanStatus.CLOSED,
    )


def _past_return(ctx: SeedContext, item: MonitoringReturn, open_plan: bool) -> None:
    roll = ctx.rng.random()
    if open_plan and roll < 0.05:
        return  # left overdue
    late = ctx.rng.random() < 0.15
    offset = ctx.rng.randint(1, 30) if late else -ctx.rng.randint(0, 20)
    submitted = _aware(item.due_date + timedelta(days=offset))
    if submitted > ctx.now:
        submitted = ctx.now - timedelta(hours=1)
    item.first_submitted_at = item.submitted_at = submitted
    item.spend_pence = ctx.rng.randrange(50, 100) * 100_00
    item.volunteers_count = ctx.rng.randint(0, 40)
    item.volunteer_hours = Decimal(ctx.rng.randint(0, 800))
    item.narrative = ctx.rng.choice(NARRATIVES)
    if open_plan and roll < 0.1:
        item.status = ReturnStatus.SUBMITTED
        return
    rating = ctx.rng.choices(["green", "amber", "red"], weights=[70, 22, 8])[0]
    item.status = ReturnStatus.ACCEPTED
    item.accepted_at = item.rated_at = submitted + timedelta(days=ctx.rng.randint(2, 20))
    item.rating = rating
    item.rating_reason = {
        "green": "On track against the targets.",
        "amber": "Some targets behind; agreed actions.",
        "red": "Most targets missed; review meeting arranged.",
    }[rating]


def _returns_for(ctx: SeedContext, plan: MonitoringPlan, today: date) -> list[MonitoringReturn]:
    periods = tier_rules.schedule_periods(
        start=plan.start_date, end=plan.end_date, schedule=plan.schedule
    )
    made = []
    for period in periods:
        item = MonitoringReturn(
            plan=plan,
            period_start=period.start,
            period_end=period.end,
            due_date=period.due,
            final=period.final,
        )
        if period.due < today or (period.end < today and ctx.rng.random() < 0.3):
            _past_return(ctx, item, plan.status == PlanStatus.ACTIVE)
        made.append(item)
    return made


def _progress(ctx: SeedContext, returns: list[MonitoringReturn], award_of: dict[int, int]) -> None:
    """Progress against targets on each plan's latest accepted return."""
    latest: dict[int, MonitoringReturn] = {}
    for item in returns:
        if item.status == ReturnStatus.ACCEPTED:
            latest[item.plan_id] = item
    targets = defaultdict(list)
    wanted = {award_of[plan_id] for plan_id in latest}
    for target in AwardTarget.objects.filter(award_id__in=wanted).values(
        "pk", "award_id", "target_value"
    ):
        targets[target["award_id"]].append(target)
    rows = [
        TargetProgress(
            monitoring_return=item,
            target_id=target["pk"],
            achieved_value=(
                target["target_value"] * Decimal(ctx.rng.randint(50, 130)) / 100
            ).quantize(Decimal("1")),
        )
        for plan_id, item in latest.items()
        for target in targets[award_of[plan_id]]
    ]
    TargetProgress.objects.bulk_create(rows, batch_size=BATCH)


def _award_rows(councils: list[Any]) -> list[dict[str, Any]]:
    return list(
        Award.objects.funded()
        .filter(council__in=councils)
        .values(
            "pk",
            "organisation_id",
            "council_id",
            "directorate_id",
            "amount_pence",
            "start_date",
            "end_date",
            "status",
            "organisation__size_band",
        )
        .order_by("start_date", "pk")
    )


def _flush(ctx: SeedContext, batch: list[tuple[MonitoringPlan, int]], today: date) -> None:
    plans = MonitoringPlan.objects.bulk_create([plan for plan, _ in batch])
    through = MonitoringPlan.awards.through
    through.objects.bulk_create(
        through(monitoringplan_id=plan.pk, award_id=award_id)
        for plan, (_, award_id) in zip(plans, batch, strict=True)
    )
    returns = [item for plan in plans for item in _returns_for(ctx, plan, today)]
    MonitoringReturn.objects.bulk_create(returns, batch_size=BATCH)
    ReturnNotice.objects.bulk_create(
        [
            ReturnNotice(
                monitoring_return=item,
                kind=NoticeKind.ESCALATION,
                due_date=item.due_date,
                sent_at=_aware(item.due_date + timedelta(days=1)),
            )
            for item in returns
            if item.status == ReturnStatus.DUE and item.due_date < today
        ],
        batch_size=BATCH,
    )
    _progress(
        ctx, returns, {plan.pk: award_id for plan, (_, award_id) in zip(plans, batch, strict=True)}
    )


def seed(ctx: SeedContext) -> None:
    """Plans by the default tiers for every funded award, their returns, and a lead funder."""
    councils = ctx.data.get("councils", [])
    if not councils:
        return
    tiers = {c.pk: services.ensure_default_tiers(council=c) for c in councils}
    for council in councils:
        MonitoringSettings.objects.get_or_create(council=council)
    today = timezone.localdate(ctx.now)
    seen: set[tuple[int, int]] = set()
    batch: list[tuple[MonitoringPlan, int]] = []
    rows = _award_rows(councils)
    for row in ctx.progress(rows, total=len(rows), desc="Monitoring"):
        key = (row["council_id"], row["organisation_id"])
        facts = tier_rules.TierFacts(
            value_pence=row["amount_pence"],
            duration_months=tier_rules.months_between(row["start_date"], row["end_date"]),
            new_organisation=key not in seen,
            size_band=row["organisation__size_band"] or "unknown",
        )
        seen.add(key)
        batch.append((_plan_for(row, tiers[row["council_id"]], facts), row["pk"]))
        if len(batch) >= BATCH // 4:
            _flush(ctx, batch, today)
            batch = []
    if batch:
        _flush(ctx, batch, today)
    _appoint_one_lead(councils[0])
    _await_review_for_demo_provider(ctx, today)


def _await_review_for_demo_provider(ctx: SeedContext, today: date) -> None:
    """Leave one of the demo provider's returns submitted, so the review journey can be tried."""
    organisations = ctx.data.get("organisations") or []
    if not organisations:
        return
    returns = MonitoringReturn.objects.filter(plan__organisation=organisations[0])
    if returns.filter(status=ReturnStatus.SUBMITTED).exists():
        return
    item = (
        returns.filter(status__in=[ReturnStatus.DUE, ReturnStatus.ACCEPTED], period_end__lt=today)
        .order_by("-period_end", "pk")
        .first()
    )
    if item is None:
        return
    if item.submitted_at is None:
        item.first_submitted_at = item.submitted_at = min(
            _aware(item.period_end + timedelta(days=1)), ctx.now - timedelta(hours=1)
        )
        item.spend_pence = ctx.rng.randrange(50, 100) * 100_00
        item.narrative = ctx.rng.choice(NARRATIVES)
    item.status = ReturnStatus.SUBMITTED
    item.accepted_at = item.rated_at = None
    item.rating = item.rating_reason = ""
    item.save()


def _appoint_one_lead(council: Any) -> None:
    """Show the lead funder at work: the first organisation funded by two directorates."""
    found = selectors.multi_funded(council, selectors.settings_for(council=council).lead_rule)
    if not found:
        return
    first = found[0]
    services.appoint_lead_funder(
        council=council,
        organisation=first.organisation,
        directorate=first.proposed,
        actor=None,
        reason=f"Proposed because {first.why}",
    )

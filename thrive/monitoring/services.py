"""Changes to monitoring: tiers, plans, returns, ratings, payments, the lead funder (§4.2, §4.3)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.awards.models import Award
from thrive.monitoring import tiers as tier_rules
from thrive.monitoring.models import (
    AwardSpend,
    LeadFunder,
    MonitoringPlan,
    MonitoringReturn,
    MonitoringSettings,
    MonitoringTier,
    NoticeKind,
    PlanStatus,
    Rating,
    ReturnAttachment,
    ReturnNotice,
    ReturnSize,
    ReturnStatus,
    TargetProgress,
    Visit,
)
from thrive.opportunities import files

logger = logging.getLogger(__name__)

TIER_FIELDS = [
    "order",
    "name",
    "explanation",
    "active",
    "min_value_pence",
    "max_value_pence",
    "min_duration_months",
    "max_duration_months",
    "when_new_organisation",
    "when_past_red",
    "outcome_kinds",
    "size_bands",
    "schedule",
    "return_size",
    "annual_review_meeting",
    "days_to_report",
]


def _person(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- tiers and settings -------------------------------------------------------------------


def ensure_default_tiers(council: Any) -> list[MonitoringTier]:
    """Give the council the strategy's default tiers if it has none yet (§4.2)."""
    existing = list(MonitoringTier.objects.filter(council=council))
    if existing:
        return existing
    rows = [
        MonitoringTier(
            council=council,
            **{
                name: list(value) if isinstance(value, tuple) else value
                for name, value in vars(default).items()
                if name in TIER_FIELDS
            },
        )
        for default in tier_rules.DEFAULT_TIERS
    ]
    return MonitoringTier.objects.bulk_create(rows)


def settings_for(council: Any) -> MonitoringSettings:
    """The council's monitoring settings, made with the defaults when first needed."""
    found, _ = MonitoringSettings.objects.get_or_create(council=council)
    return found


def _tier_snapshot(tier: MonitoringTier) -> dict[str, Any]:
    return {name: getattr(tier, name) for name in TIER_FIELDS}


def save_tier(*, tier: MonitoringTier, actor: Any, reason: str = "") -> MonitoringTier:
    """Create or change a tier rule, audited with what it was before."""
    before = None
    if tier.pk:
        before = _tier_snapshot(MonitoringTier.objects.get(pk=tier.pk))
    tier.updated_at = timezone.now()
    tier.full_clean()
    with transaction.atomic():
        tier.save()
        log_action(
            action="monitoring.tier.saved",
            actor=actor,
            obj=tier,
            before=before,
            after=_tier_snapshot(tier),
            reason=reason,
            council=tier.council,
        )
    return tier


def save_settings(
    *, council: Any, actor: Any, lead_rule: str, reminder_days: int, escalation_days: int
) -> MonitoringSettings:
    """Change how lead funders are proposed and when reminders go, audited."""
    found = settings_for(council)
    before = {"lead_rule": found.lead_rule, "reminder_days": found.reminder_days}
    found.lead_rule = lead_rule
    found.reminder_days = reminder_days
    found.escalation_days = escalation_days
    found.full_clean()
    with transaction.atomic():
        found.save()
        log_action(
            action="monitoring.settings.saved",
            actor=actor,
            obj=found,
            before=before,
            after={"lead_rule": lead_rule, "reminder_days": reminder_days},
            council=council,
        )
    return found


# --- plans ---------------------------------------------------------------------------------


def past_red(organisation: Any, council: Any) -> bool:
    return MonitoringReturn.objects.filter(
        plan__organisation=organisation, plan__council=council, rating=Rating.RED
    ).exists()


def facts_for(awards: list[Award], *, start: date | None = None) -> tier_rules.TierFacts:
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
        past_red=past_red(organisation, council),
        outcome_kinds=frozenset(kinds),
        size_band=organisation.size_band or "unknown",
    )


def _apply_tier(plan: MonitoringPlan, awards: list[Award]) -> None:
    tiers = ensure_default_tiers(plan.council)
    facts = facts_for(awards, start=plan.start_date)
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


def active_plan_for(award: Award) -> MonitoringPlan | None:
    return award.monitoring_plans.filter(status=PlanStatus.ACTIVE).first()


def create_plan_for_award(*, award: Award, actor: Any = None) -> MonitoringPlan:
    """Give a newly active award its plan, or add it to its lead funder's plan (§4.3).

    Idempotent: an award already on an active plan keeps it.
    """
    existing = active_plan_for(award)
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


def _untouched(returns: Any) -> Any:
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


def _join_consolidated_plan(*, plan: MonitoringPlan, award: Award, actor: Any) -> MonitoringPlan:
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


def on_award_activated(sender: Any, award: Award, actor: Any = None, **kwargs: Any) -> None:
    """Receiver for ``awards.signals.award_activated``."""
    create_plan_for_award(award=award, actor=actor)


def replan_for_award(*, award: Award, actor: Any = None) -> MonitoringPlan | None:
    """After a variation, fit the award's plan to it again: its end, its tier, its returns.

    A longer or shorter term moves the plan's end; a new value may move it to another tier
    and schedule (§4.2); a termination ends it at the award's end. Returns already started
    or for periods that have ended are kept; the rest are laid out again. A plan already
    closed (its final return accepted) opens again when the award now runs past its end.
    """
    plan = active_plan_for(award) or (
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


def on_award_varied(sender: Any, award: Award, actor: Any = None, **kwargs: Any) -> None:
    """Receiver for ``awards.signals.award_varied``."""
    replan_for_award(award=award, actor=actor)


def _close_when_done(plan: MonitoringPlan, actor: Any) -> None:
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


# --- returns -------------------------------------------------------------------------------

EDITABLE = (ReturnStatus.DUE, ReturnStatus.QUERIED)


def _lock(monitoring_return: MonitoringReturn) -> MonitoringReturn:
    return (
        MonitoringReturn.objects.select_for_update()
        .select_related("plan")
        .get(pk=monitoring_return.pk)
    )


def _plan_targets(plan: MonitoringPlan) -> dict[int, Any]:
    from thrive.awards.models import AwardTarget

    return {t.pk: t for t in AwardTarget.objects.filter(award__in=plan.awards.all())}


def save_return(
    *,
    monitoring_return: MonitoringReturn,
    actor: Any,
    spends: Mapping[int, int | None],
    progress: Mapping[int, tuple[Decimal | None, str]],
    volunteers_count: int | None = None,
    volunteer_hours: Decimal | None = None,
    case_studies: str = "",
    narrative: str = "",
) -> MonitoringReturn:
    """Keep what the provider has entered so far; it can be finished later."""
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status not in EDITABLE:
            raise ValidationError("This return has been submitted and can no longer be changed")
        award_ids = set(locked.plan.awards.values_list("pk", flat=True))
        targets = _plan_targets(locked.plan)
        for award_id, pence in spends.items():
            if award_id not in award_ids:
                raise ValidationError({"spend": "Report spend only for the awards this covers"})
            if pence is None:
                AwardSpend.objects.filter(monitoring_return=locked, award_id=award_id).delete()
                continue
            AwardSpend.objects.update_or_create(
                monitoring_return=locked, award_id=award_id, defaults={"spend_pence": pence}
            )
        for target_id, (value, comment) in progress.items():
            if target_id not in targets:
                raise ValidationError({"progress": "Report progress only on this plan's targets"})
            if value is None:
                TargetProgress.objects.filter(
                    monitoring_return=locked, target_id=target_id
                ).delete()
                continue
            TargetProgress.objects.update_or_create(
                monitoring_return=locked,
                target_id=target_id,
                defaults={"achieved_value": value, "comment": comment},
            )
        locked.spend_pence = sum(s.spend_pence for s in locked.spends.all()) if spends else None
        locked.volunteers_count = volunteers_count
        locked.volunteer_hours = volunteer_hours
        locked.case_studies = case_studies
        locked.narrative = narrative
        locked.updated_at = timezone.now()
        locked.full_clean()
        locked.save()
    return locked


def missing_answers(monitoring_return: MonitoringReturn) -> dict[str, str]:
    """What still has to be answered before the return can be submitted, by field."""
    plan = monitoring_return.plan
    errors: dict[str, str] = {}
    award_ids = set(plan.awards.values_list("pk", flat=True))
    spent = set(monitoring_return.spends.values_list("award_id", flat=True))
    if award_ids - spent:
        errors["spend"] = "Enter the spend for every award this return covers"
    targets = set(_plan_targets(plan))
    reported = set(monitoring_return.progress.values_list("target_id", flat=True))
    if targets - reported:
        errors["progress"] = "Enter the progress made against every target"
    if not monitoring_return.narrative.strip():
        errors["narrative"] = "Enter a short summary of the period"
    if plan.return_size in (ReturnSize.STANDARD, ReturnSize.FULL):
        if monitoring_return.volunteers_count is None:
            errors["volunteers_count"] = "Enter how many volunteers were involved"
        if monitoring_return.volunteer_hours is None:
            errors["volunteer_hours"] = "Enter how many hours volunteers gave"
    if plan.return_size == ReturnSize.FULL and not monitoring_return.case_studies.strip():
        errors["case_studies"] = "Enter at least one case study"
    return errors


def submit_return(*, monitoring_return: MonitoringReturn, actor: Any) -> MonitoringReturn:
    """Send a complete return to the council; a repeated submit changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
            return locked
        errors = missing_answers(locked)
        if errors:
            raise ValidationError(errors)
        before = locked.status
        locked.status = ReturnStatus.SUBMITTED
        locked.submitted_at = now
        locked.first_submitted_at = locked.first_submitted_at or now
        locked.submitted_by = _person(actor)
        locked.updated_at = now
        locked.save()
        log_action(
            action="monitoring.return.submitted"
            if before == ReturnStatus.DUE
            else "monitoring.return.resubmitted",
            actor=actor,
            obj=locked,
            before={"status": before},
            after={"status": locked.status, "spend_pence": locked.spend_pence},
            council=locked.plan.council,
        )
        from thrive.monitoring import tasks

        transaction.on_commit(lambda: tasks.send_return_submitted.enqueue(locked.pk))
    return locked


def add_attachment(
    *, monitoring_return: MonitoringReturn, upload: Any, actor: Any
) -> ReturnAttachment:
    """Keep a file with the return, judged by its content and capped in size."""
    if upload is None:
        raise ValidationError({"file": "Select a file"})
    try:
        checked = files.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status not in EDITABLE:
            raise ValidationError({"file": "This return has been submitted; files can't be added"})
        attachment = ReturnAttachment(
            monitoring_return=locked,
            original_name=files.safe_name(upload.name, checked.extension),
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=_person(actor),
        )
        attachment.file.save(attachment.original_name, File(upload), save=False)
        attachment.save()
        log_action(
            action="monitoring.attachment.uploaded",
            actor=actor,
            obj=locked,
            after={"sha256": checked.sha256, "size": checked.size},
            council=locked.plan.council,
        )
    return attachment


def _check_rating(rating: str, reason: str) -> None:
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = "Choose red, amber or green"
    if not reason.strip():
        errors["rating_reason"] = "Enter the reason for the rating"
    if errors:
        raise ValidationError(errors)


def query_return(
    *, monitoring_return: MonitoringReturn, actor: Any, reason: str
) -> MonitoringReturn:
    """Send a submitted return back to the provider with what needs to change."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter what the provider needs to change"})
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ValidationError("Only a submitted return can be queried")
        locked.status = ReturnStatus.QUERIED
        locked.queried_at = timezone.now()
        locked.query_reason = reason
        locked.save()
        log_action(
            action="monitoring.return.queried",
            actor=actor,
            obj=locked,
            before={"status": ReturnStatus.SUBMITTED},
            after={"status": locked.status},
            reason=reason,
            council=locked.plan.council,
        )
        from thrive.monitoring import tasks

        transaction.on_commit(lambda: tasks.send_return_decision.enqueue(locked.pk))
    return locked


def accept_return(
    *, monitoring_return: MonitoringReturn, actor: Any, rating: str, rating_reason: str
) -> MonitoringReturn:
    """Accept a submitted return with its rating, and release payments it was holding."""
    _check_rating(rating, rating_reason)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ValidationError("Only a submitted return can be accepted")
        locked.status = ReturnStatus.ACCEPTED
        locked.accepted_at = now
        locked.accepted_by = _person(actor)
        _set_rating(locked, actor, rating, rating_reason, now)
        locked.save()
        log_action(
            action="monitoring.return.accepted",
            actor=actor,
            obj=locked,
            before={"status": ReturnStatus.SUBMITTED},
            after={"status": locked.status, "rating": rating},
            reason=rating_reason,
            council=locked.plan.council,
        )
        release_payments(monitoring_return=locked, actor=actor)
        _close_when_done(locked.plan, actor)
        from thrive.monitoring import tasks

        transaction.on_commit(lambda: tasks.send_return_decision.enqueue(locked.pk))
    return locked


def _set_rating(item: MonitoringReturn, actor: Any, rating: str, reason: str, now: Any) -> None:
    item.rating = rating
    item.rating_reason = reason
    item.rated_at = now
    item.rated_by = _person(actor)


def rate_return(
    *, monitoring_return: MonitoringReturn, actor: Any, rating: str, rating_reason: str
) -> MonitoringReturn:
    """Give or change a submitted or accepted return's red/amber/green rating, with a reason."""
    _check_rating(rating, rating_reason)
    with transaction.atomic():
        locked = _lock(monitoring_return)
        if locked.status not in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
            raise ValidationError("Only a submitted return can be rated")
        before = {"rating": locked.rating, "rating_reason": locked.rating_reason}
        _set_rating(locked, actor, rating, rating_reason, timezone.now())
        locked.save()
        log_action(
            action="monitoring.return.rated",
            actor=actor,
            obj=locked,
            before=before,
            after={"rating": rating},
            reason=rating_reason,
            council=locked.plan.council,
        )
    return locked


def release_payments(*, monitoring_return: MonitoringReturn, actor: Any) -> list[Any]:
    """Release instalments held for an accepted return, award by award (conditions allow)."""
    from thrive.awards import services as award_services

    released = []
    for award in monitoring_return.plan.awards.all():
        released += award_services.release_instalments(
            award=award, actor=actor, reason=f"Monitoring return {monitoring_return.pk} accepted"
        )
    return released


# --- reminders and escalation ----------------------------------------------------------------


def _notice_candidates(today: date) -> Iterable[tuple[MonitoringReturn, str]]:
    councils = {s.council_id: s for s in MonitoringSettings.objects.all()}
    default = MonitoringSettings()
    horizon = max([default.reminder_days, *(s.reminder_days for s in councils.values())])
    rows = (
        MonitoringReturn.objects.open()
        .filter(due_date__lte=today + timedelta(days=horizon))
        .exclude(_noticed(NoticeKind.ESCALATION))
        .select_related("plan")
        .order_by("due_date", "pk")
    )
    reminded = set(
        ReturnNotice.objects.filter(kind=NoticeKind.REMINDER, due_date__gte=today).values_list(
            "monitoring_return_id", "due_date"
        )
    )
    for item in rows.iterator(chunk_size=500):
        chosen = councils.get(item.plan.council_id, default)
        if item.due_date < today and (today - item.due_date).days >= chosen.escalation_days:
            yield item, NoticeKind.ESCALATION
        elif (
            today <= item.due_date
            and (item.due_date - today).days <= chosen.reminder_days
            and (item.pk, item.due_date) not in reminded
        ):
            yield item, NoticeKind.REMINDER


def _noticed(kind: str) -> Exists:
    return Exists(
        ReturnNotice.objects.filter(
            monitoring_return=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date")
        )
    )


def send_due_notices(*, today: date | None = None) -> dict[str, int]:
    """Remind providers before returns fall due and escalate overdue ones, once each."""
    from thrive.monitoring import tasks

    today = today or timezone.localdate()
    counts = {NoticeKind.REMINDER.value: 0, NoticeKind.ESCALATION.value: 0}
    for item, kind in _notice_candidates(today):
        try:
            with transaction.atomic():
                notice = ReturnNotice.objects.create(
                    monitoring_return=item, kind=kind, due_date=item.due_date
                )
                if kind == NoticeKind.ESCALATION:
                    log_action(
                        action="monitoring.return.escalated",
                        obj=item,
                        after={"due_date": item.due_date.isoformat()},
                        council=item.plan.council,
                    )
                transaction.on_commit(
                    lambda notice_id=notice.pk: tasks.send_return_notice.enqueue(notice_id)
                )
        except IntegrityError:
            continue
        counts[kind] += 1
    logger.info("Monitoring notices sent: %s", counts)
    return counts


# --- lead funder and visits ------------------------------------------------------------------


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


def appoint_lead_funder(
    *, council: Any, organisation: Any, directorate: Any, actor: Any, reason: str = ""
) -> LeadFunder:
    """Appoint a lead directorate and replace the separate plans with one consolidated plan."""
    from thrive.monitoring import selectors

    awards = list(selectors.active_awards(organisation, council))
    if len({a.directorate_id for a in awards}) < 2:
        raise ValidationError("A lead funder is appointed only where several directorates fund")
    if directorate.pk not in {a.directorate_id for a in awards}:
        raise ValidationError({"directorate": "Choose a directorate that funds the organisation"})
    proposed, _why = selectors.propose_lead(awards, settings_for(council).lead_rule)
    today = timezone.localdate()
    with transaction.atomic():
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
        MonitoringPlan.objects.filter(pk__in=[p.pk for p in old_plans]).update(
            status=PlanStatus.MERGED
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
            rule=settings_for(council).lead_rule,
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
    actor: Any,
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

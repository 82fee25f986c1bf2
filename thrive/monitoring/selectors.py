"""Reads for monitoring: track record, plans and returns as each user may see them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.awards.models import Award, AwardStatus
from thrive.core import policy
from thrive.monitoring.models import (
    AwardSpend,
    LeadRule,
    MonitoringPlan,
    MonitoringReturn,
    PlanStatus,
    ReturnStatus,
    TargetProgress,
)

AT_RISK_OVERDUE_DAYS = 30


@dataclass
class TrackRecord:
    """An organisation's monitoring record (§3.2), used as risk information by assessors."""

    returns_total: int = 0
    on_time: int = 0
    targets_met: int = 0
    targets_total: int = 0
    ratings_by_year: dict[int, dict[str, int]] = field(default_factory=dict)
    latest_rating: str = ""
    overdue: int = 0

    @property
    def has_record(self) -> bool:
        return bool(self.returns_total or self.overdue)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.returns_total) if self.returns_total else None

    @property
    def targets_met_percent(self) -> int | None:
        return round(100 * self.targets_met / self.targets_total) if self.targets_total else None


def track_record(organisation: Any, *, council: Any = None) -> TrackRecord:
    """Returns made, on time, targets met and ratings by year for an organisation (§3.2)."""
    returns = MonitoringReturn.objects.filter(plan__organisation=organisation)
    if council is not None:
        returns = returns.filter(plan__council=council)
    made = returns.filter(first_submitted_at__isnull=False)
    rows = list(made.values("due_date", "first_submitted_at", "rating", "accepted_at"))
    record = TrackRecord(returns_total=len(rows))
    record.overdue = returns.overdue(timezone.localdate()).count()
    ratings: dict[int, Counter[str]] = defaultdict(Counter)
    latest: tuple[Any, str] | None = None
    for row in rows:
        if timezone.localdate(row["first_submitted_at"]) <= row["due_date"]:
            record.on_time += 1
        if row["rating"]:
            ratings[row["due_date"].year][row["rating"]] += 1
            if latest is None or row["due_date"] >= latest[0]:
                latest = (row["due_date"], row["rating"])
    record.ratings_by_year = {year: dict(ratings[year]) for year in sorted(ratings)}
    record.latest_rating = latest[1] if latest else ""
    progress = TargetProgress.objects.filter(
        monitoring_return__in=made.filter(status=ReturnStatus.ACCEPTED)
    ).select_related("target")
    for item in progress:
        record.targets_total += 1
        record.targets_met += int(item.met)
    return record


# --- scoping ------------------------------------------------------------------------------------


def _reads_all(user: Any) -> bool:
    return policy.is_system_admin(user) or policy.has_council_role(
        user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN, Role.FINANCE_OFFICER
    )


def plans_for_user(user: Any) -> QuerySet[MonitoringPlan]:
    """Plans the user may read: their organisations', their council's, or their directorates'."""
    plans = MonitoringPlan.objects.select_related("organisation", "lead_directorate", "council")
    if policy.is_provider_user(user):
        return plans.filter(organisation__memberships__user=user).distinct()
    if policy.is_system_admin(user):
        return plans
    if not user.is_authenticated or not user.council_id:
        return plans.none()
    plans = plans.filter(council_id=user.council_id)
    if _reads_all(user):
        return plans
    ids = list(user.directorate_ids())
    return plans.filter(
        Q(lead_directorate_id__in=ids) | Q(awards__directorate_id__in=ids)
    ).distinct()


def plans_to_report(user: Any) -> QuerySet[MonitoringPlan]:
    """The user's plans still reported on: current ones, and replaced ones with returns open.

    A plan replaced by a lead funder's consolidated plan keeps the returns for the days
    before it (§4.3); those are still made to, and reviewed by, the award's own funder.
    """
    still_open = MonitoringReturn.objects.open().filter(plan_id=OuterRef("pk"))
    return plans_for_user(user).filter(~Q(status=PlanStatus.MERGED) | Exists(still_open))


def returns_for_user(user: Any) -> QuerySet[MonitoringReturn]:
    """Returns of the plans the user may read."""
    return MonitoringReturn.objects.filter(plan__in=plans_for_user(user)).select_related(
        "plan__organisation", "plan__lead_directorate"
    )


def get_plan(plan_id: int) -> MonitoringPlan:
    return get_object_or_404(
        MonitoringPlan.objects.select_related(
            "organisation", "lead_directorate", "council", "tier"
        ).prefetch_related("awards__directorate"),
        pk=plan_id,
    )


def get_return(return_id: int) -> MonitoringReturn:
    return get_object_or_404(
        MonitoringReturn.objects.select_related(
            "plan__organisation", "plan__lead_directorate", "plan__council"
        ).prefetch_related("plan__awards__directorate"),
        pk=return_id,
    )


def visible_awards(user: Any, plan: MonitoringPlan) -> list[Award]:
    """The awards of a plan whose parts this user sees: a funder sees only its own (§4.3).

    The organisation, the lead directorate and council-wide readers see every part.
    """
    awards = list(plan.awards.all())
    if policy.is_provider_user(user) or _reads_all(user):
        return awards
    ids = set(user.directorate_ids())
    if plan.lead_directorate_id in ids:
        return awards
    return [a for a in awards if a.directorate_id in ids]


def with_visible_spend(rows: QuerySet[MonitoringReturn], user: Any) -> QuerySet[MonitoringReturn]:
    """Annotate each return with the spend its reader may see as ``visible_spend_pence``.

    The organisation, the lead directorate and council-wide readers see the whole spend; any
    other funder of a consolidated return only the spend on its own awards (§4.3), so the
    lead's share cannot be worked out from the total.
    """
    if policy.is_provider_user(user) or _reads_all(user):
        return rows.annotate(visible_spend_pence=F("spend_pence"))
    ids = list(user.directorate_ids()) if user.is_authenticated else []
    own = (
        AwardSpend.objects.filter(monitoring_return=OuterRef("pk"), award__directorate_id__in=ids)
        .order_by()
        .values("monitoring_return")
        .annotate(total=Sum("spend_pence"))
        .values("total")[:1]
    )
    return rows.annotate(
        visible_spend_pence=Case(
            When(plan__lead_directorate_id__in=ids, then=F("spend_pence")),
            default=Subquery(own),
            output_field=BigIntegerField(),
        )
    )


def visible_spend(user: Any, monitoring_return: MonitoringReturn) -> int | None:
    """The spend of one return that this reader may see (see ``with_visible_spend``)."""
    rows = MonitoringReturn.objects.filter(pk=monitoring_return.pk)
    return with_visible_spend(rows, user).values_list("visible_spend_pence", flat=True).get()


@dataclass
class AwardPart:
    award: Award
    spend_pence: int | None
    progress: list[Any]
    targets: list[Any]

    @property
    def rows(self) -> list[tuple[Any, Any]]:
        return list(zip(self.targets, self.progress, strict=True))


def return_parts(monitoring_return: MonitoringReturn, awards: list[Award]) -> list[AwardPart]:
    """Per award: its targets, the progress reported against them and the spend."""
    from thrive.awards.models import AwardTarget

    spends = {s.award_id: s.spend_pence for s in monitoring_return.spends.all()}
    progress = {p.target_id: p for p in monitoring_return.progress.all().select_related("target")}
    targets = defaultdict(list)
    for target in AwardTarget.objects.filter(award__in=awards).order_by("order", "pk"):
        targets[target.award_id].append(target)
    return [
        AwardPart(
            award=award,
            spend_pence=spends.get(award.pk),
            targets=targets[award.pk],
            progress=[progress.get(t.pk) for t in targets[award.pk]],
        )
        for award in awards
    ]


@dataclass
class InstalmentRow:
    award: Award
    number: int
    due_date: date
    amount_pence: int
    state: str


def payment_schedule(awards: list[Award], today: date | None = None) -> list[InstalmentRow]:
    """Each award's instalments with their state: paid, due, held or scheduled."""
    from thrive.awards.models import Instalment

    today = today or timezone.localdate()
    by_award = {a.pk: a for a in awards}
    rows = []
    for instalment in Instalment.objects.filter(award__in=awards).order_by("award_id", "number"):
        rows.append(
            InstalmentRow(
                award=by_award[instalment.award_id],
                number=instalment.number,
                due_date=instalment.due_date,
                amount_pence=instalment.amount_pence,
                state=instalment.state_on(today),
            )
        )
    return rows


# --- staff overview ---------------------------------------------------------------------------


def filtered_returns(user: Any, *, status: str = "", directorate: str = "", rating: str = ""):
    today = timezone.localdate()
    rows = returns_for_user(user)
    if status == "overdue":
        rows = rows.overdue(today)
    elif status == "upcoming":
        rows = rows.open().filter(due_date__gte=today)
    elif status in ReturnStatus.values:
        rows = rows.filter(status=status)
    if directorate.isdigit():
        rows = rows.filter(plan__lead_directorate_id=int(directorate))
    if rating:
        rows = rows.filter(rating=rating)
    return rows.order_by("due_date", "pk")


@dataclass
class DirectorateRow:
    name: str
    due: int
    overdue: int
    submitted: int
    red: int
    amber: int
    green: int


def overview_by_directorate(user: Any, today: date | None = None) -> list[DirectorateRow]:
    """Returns due, overdue and awaiting review, and ratings, per lead directorate."""
    today = today or timezone.localdate()
    open_statuses = [ReturnStatus.DUE, ReturnStatus.QUERIED]
    rows = (
        returns_for_user(user)
        .values("plan__lead_directorate__name")
        .annotate(
            due=Count("pk", filter=Q(status__in=open_statuses, due_date__gte=today)),
            overdue=Count("pk", filter=Q(status__in=open_statuses, due_date__lt=today)),
            submitted=Count("pk", filter=Q(status=ReturnStatus.SUBMITTED)),
            red=Count("pk", filter=Q(rating="red")),
            amber=Count("pk", filter=Q(rating="amber")),
            green=Count("pk", filter=Q(rating="green")),
        )
        .order_by("plan__lead_directorate__name")
    )
    return [
        DirectorateRow(
            r["plan__lead_directorate__name"],
            r["due"],
            r["overdue"],
            r["submitted"],
            r["red"],
            r["amber"],
            r["green"],
        )
        for r in rows
    ]


def plans_at_risk(user: Any, today: date | None = None) -> QuerySet[MonitoringPlan]:
    """Active plans with a red rating or a return overdue by more than 30 days."""
    today = today or timezone.localdate()
    late = today - timedelta(days=AT_RISK_OVERDUE_DAYS)
    risky = MonitoringReturn.objects.filter(
        Q(rating="red") | Q(status__in=[ReturnStatus.DUE, ReturnStatus.QUERIED], due_date__lt=late)
    ).values("plan_id")
    reds = (
        MonitoringReturn.objects.filter(plan_id=OuterRef("pk"), rating="red")
        .order_by()
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    value = (
        MonitoringPlan.awards.through.objects.filter(monitoringplan_id=OuterRef("pk"))
        .order_by()
        .values("monitoringplan_id")
        .annotate(total=Sum("award__amount_pence"))
        .values("total")[:1]
    )
    return (
        plans_for_user(user)
        .filter(status=PlanStatus.ACTIVE, pk__in=risky)
        .annotate(red_count=Coalesce(Subquery(reds), 0), value_pence=Subquery(value))
        .order_by("organisation__name", "pk")
    )


# --- lead funder --------------------------------------------------------------------------------


def active_awards(organisation: Any, council: Any) -> QuerySet[Award]:
    return Award.objects.filter(
        organisation=organisation, council=council, status=AwardStatus.ACTIVE
    ).select_related("directorate")


def propose_lead(awards: list[Award], rule: str) -> tuple[Any, str]:
    """The directorate the rule proposes as lead funder, and why (§4.3)."""
    if not awards:
        return None, ""
    totals: dict[Any, list[Award]] = defaultdict(list)
    for award in awards:
        totals[award.directorate].append(award)

    def key(directorate: Any) -> tuple:
        mine = totals[directorate]
        value = sum(a.amount_pence for a in mine)
        first = min(a.start_date for a in mine)
        if rule == LeadRule.MOST_AWARDS:
            return (len(mine), value, directorate.name)
        if rule == LeadRule.LONGEST_RELATIONSHIP:
            return (-first.toordinal(), value, directorate.name)
        return (value, len(mine), directorate.name)

    chosen = max(totals, key=key)
    from thrive.core.money import format_pence

    mine = totals[chosen]
    reasons = {
        LeadRule.MOST_AWARDS: f"it has the most awards ({len(mine)})",
        LeadRule.LONGEST_RELATIONSHIP: (
            f"it has funded longest (since {min(a.start_date for a in mine):%-d %B %Y})"
        ),
    }
    default = f"it funds the most ({format_pence(sum(a.amount_pence for a in mine))})"
    return chosen, reasons.get(rule, default)


@dataclass
class MultiFunded:
    organisation: Any
    awards: list[Award]
    proposed: Any
    why: str
    lead: Any


def multi_funded_ids(council: Any) -> QuerySet:
    """The ids of organisations with active awards from more than one directorate, by name."""
    return (
        Award.objects.filter(council=council, status=AwardStatus.ACTIVE)
        .values("organisation_id")
        .annotate(n=Count("directorate_id", distinct=True))
        .filter(n__gt=1)
        .order_by("organisation__name", "organisation_id")
        .values_list("organisation_id", flat=True)
    )


def multi_funded(
    council: Any, rule: str, organisation_ids: list[int] | None = None
) -> list[MultiFunded]:
    """Organisations with active awards from more than one of the council's directorates.

    Every such organisation, or only those in ``organisation_ids`` (a page of them).
    """
    from thrive.monitoring.models import LeadFunder

    if organisation_ids is None:
        organisation_ids = list(multi_funded_ids(council))
    awards = (
        Award.objects.filter(
            council=council, status=AwardStatus.ACTIVE, organisation_id__in=organisation_ids
        )
        .select_related("organisation", "directorate")
        .order_by("organisation__name", "pk")
    )
    grouped: dict[int, list[Award]] = defaultdict(list)
    for award in awards:
        grouped[award.organisation_id].append(award)
    leads = {
        lf.organisation_id: lf
        for lf in LeadFunder.objects.filter(
            council=council, active=True, organisation_id__in=list(grouped)
        ).select_related("directorate")
    }
    found = []
    for org_awards in grouped.values():
        proposed, why = propose_lead(org_awards, rule)
        organisation = org_awards[0].organisation
        found.append(
            MultiFunded(organisation, org_awards, proposed, why, leads.get(organisation.pk))
        )
    return found


def plans_with_returns(plans: QuerySet[MonitoringPlan]) -> QuerySet[MonitoringPlan]:
    return plans.prefetch_related(
        Prefetch("returns", queryset=MonitoringReturn.objects.order_by("due_date")),
        "awards",
    )


def reviewers_for(monitoring_return: MonitoringReturn) -> list[Any]:
    """The officers who may accept or query the return: the plan's lead directorate's."""
    from thrive.accounts.selectors import staff_who_may

    return staff_who_may(
        council=monitoring_return.plan.council,
        roles=[Role.COMMISSIONER],
        action="monitoring.return.decide",
        obj=monitoring_return,
    )

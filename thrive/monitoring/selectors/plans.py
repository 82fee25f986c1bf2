"""Plans and returns as each user may see them: a funder sees only its own awards' parts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import (
    BigIntegerField,
    Case,
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
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.selectors import staff_who_may
from thrive.awards.models import Award, AwardTarget, Instalment
from thrive.core import policy
from thrive.monitoring.models import (
    AwardSpend,
    MonitoringPlan,
    MonitoringReturn,
    PlanStatus,
    TargetProgress,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from thrive.accounts.models import User


def _reads_all(user: User | AnonymousUser) -> bool:
    """Whether the user reads every plan of their council (or, as a system admin, every plan)."""
    return policy.is_system_admin(user) or policy.has_council_role(
        user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN, Role.FINANCE_OFFICER
    )


def plans_for_user(user: User | AnonymousUser) -> QuerySet[MonitoringPlan]:
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


def plans_to_report(user: User | AnonymousUser) -> QuerySet[MonitoringPlan]:
    """The user's plans still reported on: current ones, and replaced ones with returns open.

    A plan replaced by a lead funder's consolidated plan keeps the returns for the days
    before it (§4.3); those are still made to, and reviewed by, the award's own funder.
    """
    still_open = MonitoringReturn.objects.open().filter(plan_id=OuterRef("pk"))
    return plans_for_user(user).filter(~Q(status=PlanStatus.MERGED) | Exists(still_open))


def returns_for_user(user: User | AnonymousUser) -> QuerySet[MonitoringReturn]:
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


def visible_awards(user: User | AnonymousUser, plan: MonitoringPlan) -> list[Award]:
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


def with_visible_spend(
    rows: QuerySet[MonitoringReturn], user: User | AnonymousUser
) -> QuerySet[MonitoringReturn]:
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


def visible_spend(user: User | AnonymousUser, monitoring_return: MonitoringReturn) -> int | None:
    """The spend of one return that this reader may see (see ``with_visible_spend``)."""
    rows = MonitoringReturn.objects.filter(pk=monitoring_return.pk)
    return with_visible_spend(rows, user).values_list("visible_spend_pence", flat=True).get()


@dataclass
class AwardPart:
    award: Award
    spend_pence: int | None
    progress: list[TargetProgress | None]
    targets: list[AwardTarget]

    @property
    def rows(self) -> list[tuple[AwardTarget, TargetProgress | None]]:
        return list(zip(self.targets, self.progress, strict=True))


def return_parts(monitoring_return: MonitoringReturn, awards: list[Award]) -> list[AwardPart]:
    """Per award: its targets, the progress reported against them and the spend."""
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


def plans_with_returns(plans: QuerySet[MonitoringPlan]) -> QuerySet[MonitoringPlan]:
    return plans.prefetch_related(
        Prefetch("returns", queryset=MonitoringReturn.objects.order_by("due_date")),
        "awards",
    )


def reviewers_for(monitoring_return: MonitoringReturn) -> list[User]:
    """The officers who may accept or query the return: the plan's lead directorate's."""
    return staff_who_may(
        council=monitoring_return.plan.council,
        roles=[Role.COMMISSIONER],
        action="monitoring.return.decide",
        obj=monitoring_return,
    )

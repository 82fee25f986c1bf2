"""What strategy asks of people: pots near their limit, action plan actions overdue (§5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from thrive.accounts.models import Role
from thrive.core import worklist
from thrive.core.money import format_pence
from thrive.core.policy import has_council_role
from thrive.core.worklist import WorkItem
from thrive.strategy.models import FinancialYear, FundingPot, PlanAction
from thrive.strategy.rules import PLAN_KEEPERS

POT = "strategy.pot"
ACTION = "strategy.action"

NEAR_LIMIT_PERCENT = 90
"""A pot with this share of its budget committed is near its limit."""

worklist.add_kind(POT, "Funding pots near their limit", 80)
worklist.add_kind(ACTION, "Action plan actions overdue", 90)


@worklist.add
def pots_near_limit(user: Any) -> Iterator[WorkItem]:
    """The council's open pots of this year and later with 90% or more committed (finance)."""
    if not has_council_role(user, Role.FINANCE_OFFICER):
        return
    this_year = FinancialYear.start_year_for(timezone.localdate())
    pots = (
        FundingPot.objects.for_council(user.council_id)
        .open()
        .filter(budget_pence__gt=0, financial_year__start_year__gte=this_year)
        .filter(committed_pence__gte=F("budget_pence") * NEAR_LIMIT_PERCENT / 100)
        .annotate(since=Coalesce(Max("commitments__committed_at"), "created_at"))
        .select_related("financial_year")
        .order_by("since", "pk")
    )
    for pot in pots:
        share = pot.committed_pence * 100 // pot.budget_pence
        yield WorkItem(
            kind=POT,
            title=str(pot),
            url=reverse("strategy:pot_detail", args=[pot.pk]),
            since=pot.since,
            detail=f"{share}% committed: {format_pence(pot.remaining_pence)} left",
        )


@worklist.add
def actions_overdue(user: Any) -> Iterator[WorkItem]:
    """Overdue actions of the council's action plan, for the people who keep the plan."""
    if not has_council_role(user, *PLAN_KEEPERS):
        return
    actions = (
        PlanAction.objects.for_council(user.council_id)
        .overdue()
        .select_related("owner")
        .order_by("due_date", "pk")
    )
    for action in actions:
        owner = action.owner.get_full_name() if action.owner_id else action.owner_team
        yield WorkItem(
            kind=ACTION,
            title=action.title,
            url=reverse("strategy:action_status", args=[action.pk]),
            since=timezone.make_aware(datetime.combine(action.due_date, time.min)),
            detail=f"Was due {date_format(action.due_date, 'j F Y')}"
            + (f"; owner {owner}" if owner else ""),
            overdue=True,
        )

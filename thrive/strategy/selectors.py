"""Reads for outcomes, directorates, pots and thresholds, already scoped by the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from thrive.accounts.models import Council, Role
from thrive.core import policy
from thrive.strategy.models import (
    CORPORATE_KINDS,
    Directorate,
    FinancialYear,
    FundingPot,
    Outcome,
    ThresholdSet,
)


def council_for(user: Any, council_id: Any = None) -> Council:
    """The council a staff user works in; a system administrator chooses one (default: first)."""
    if user.council_id:
        return user.council
    if policy.is_system_admin(user):
        councils = Council.objects.order_by("name")
        if council_id and str(council_id).isdigit():
            return get_object_or_404(councils, pk=int(council_id))
        council = councils.first()
        if council is not None:
            return council
    raise Http404("No council")


def outcome_tree(*, council: Council) -> list[tuple[Outcome, int]]:
    """The council's outcomes in framework order, each with its depth below a root."""
    outcomes = list(Outcome.objects.for_council(council.pk).order_by("order", "code"))
    children: dict[int | None, list[Outcome]] = {}
    for outcome in outcomes:
        children.setdefault(outcome.parent_id, []).append(outcome)
    result: list[tuple[Outcome, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for outcome in children.get(parent_id, []):
            result.append((outcome, depth))
            walk(outcome.pk, depth + 1)

    walk(None, 0)
    return result


def outcome_choices(*, council_id: int) -> QuerySet[Outcome]:
    return Outcome.objects.for_council(council_id).active().order_by("order", "code")


def directorates_for(*, council: Council) -> QuerySet[Directorate]:
    return Directorate.objects.filter(council=council).order_by("name")


def pots_for_user(*, user: Any, council: Council, year: FinancialYear | None = None) -> QuerySet:
    """The pots the user may see in a council, with what remains, in the year if given."""
    pots = (
        FundingPot.objects.for_council(council.pk)
        .with_remaining()
        .select_related("directorate", "financial_year", "merged_into")
    )
    if year is not None:
        pots = pots.filter(financial_year=year)
    commissioner_only = policy.has_council_role(user, Role.COMMISSIONER) and not any(
        policy.has_council_role(user, role)
        for role in (
            Role.FINANCE_OFFICER,
            Role.PROCUREMENT_OFFICER,
            Role.STRATEGY_GROUP,
            Role.COUNCIL_ADMIN,
        )
    )
    if commissioner_only:
        ids = user.directorate_ids()
        pots = pots.filter(
            Q(kind__in=list(CORPORATE_KINDS))
            | Q(directorate_id__in=ids)
            | Q(contributions__directorate_id__in=ids)
        ).distinct()
    return pots


def pot_totals(pots: QuerySet) -> dict[str, int]:
    """Budget, committed and remaining across the pots, summed in the database."""
    totals = pots.order_by().aggregate(budget=Sum("budget_pence"), committed=Sum("committed_pence"))
    budget, committed = totals["budget"] or 0, totals["committed"] or 0
    return {"budget": budget, "committed": committed, "remaining": budget - committed}


def get_pot(*, user: Any, pot_id: int) -> FundingPot:
    """One pot the user may see, or 404/403."""
    pot = get_object_or_404(
        FundingPot.objects.select_related(
            "directorate", "financial_year", "council", "merged_into"
        ),
        pk=pot_id,
    )
    policy.require(user, "strategy.pots.view", pot)
    return pot


def years_with_pots(*, council: Council) -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(pots__council=council).distinct().order_by("-start_year")


def threshold_sets_for(*, council: Council) -> QuerySet[ThresholdSet]:
    """National sets and the council's own, newest first."""
    return ThresholdSet.objects.filter(Q(council__isnull=True) | Q(council=council)).order_by(
        "-valid_from", "council_id"
    )

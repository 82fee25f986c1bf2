"""Reads for funding pots, what remains in them, and procurement thresholds."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thrive.accounts.models import Council, Role
from thrive.core import policy
from thrive.strategy.models import CORPORATE_KINDS, FinancialYear, FundingPot, ThresholdSet


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


def same_pot_in_year(*, pot: FundingPot, start_year: int) -> FundingPot | None:
    """The pot of the same line as ``pot`` in another financial year, or None.

    A pot's line is its council, owning directorate and kind; a pot's name is unique in
    its year, so a line's pots usually share a name from year to year. The open pot of the
    line with the same name is chosen, else the line's only open pot that year.
    """
    if pot.financial_year.start_year == start_year:
        return pot
    line = (
        FundingPot.objects.for_council(pot.council_id)
        .open()
        .filter(
            financial_year__start_year=start_year, directorate_id=pot.directorate_id, kind=pot.kind
        )
        .select_related("financial_year")
        .order_by("pk")
    )
    candidates = list(line[:20])
    named = [found for found in candidates if found.name == pot.name]
    if named:
        return named[0]
    return candidates[0] if len(candidates) == 1 else None


def pots_to_commit(*, user: Any, council: Council, today: date | None = None) -> QuerySet:
    """The pots the user may commit an award's money from: open (not merged into another),
    of this financial year or a later one, among the pots the user may see."""
    current = FinancialYear.start_year_for(today or timezone.localdate())
    return (
        pots_for_user(user=user, council=council)
        .open()
        .filter(financial_year__start_year__gte=current)
        .order_by("financial_year__start_year", "name")
    )


def default_pot(*, choices: QuerySet, planned: FundingPot | None) -> FundingPot | None:
    """The planned pot (an intention's) if it is among the choices, else its line's pot of
    the earliest year offered."""
    if planned is None:
        return None
    offered = {pot.pk: pot for pot in choices}
    if planned.pk in offered:
        return planned
    for year in sorted({pot.financial_year.start_year for pot in offered.values()}):
        found = same_pot_in_year(pot=planned, start_year=year)
        if found is not None and found.pk in offered:
            return found
    return None


def years_with_pots(*, council: Council) -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(pots__council=council).distinct().order_by("-start_year")


def threshold_sets_for(*, council: Council) -> QuerySet[ThresholdSet]:
    """National sets and the council's own, newest first."""
    return ThresholdSet.objects.filter(Q(council__isnull=True) | Q(council=council)).order_by(
        "-valid_from", "council_id"
    )

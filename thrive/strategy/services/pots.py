"""Financial years and funding pots: opening, budgets, contributions and merges (§2.4, §5.3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from thrive.audit.services import log_action
from thrive.core.money import format_pence
from thrive.strategy.models import (
    Directorate,
    FinancialYear,
    FundingPot,
    PotContribution,
    PotKind,
    PotMerge,
)

if TYPE_CHECKING:
    from thrive.accounts.models import Council, User


def get_financial_year(*, start_year: int) -> FinancialYear:
    """The financial year starting in April of ``start_year``, created the first time."""
    if not 2000 <= start_year <= 2100:
        raise ValidationError({"financial_year": "Enter a year between 2000 and 2100"})
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
    return year


def financial_year_for(*, day: date) -> FinancialYear:
    """The financial year a day falls in."""
    return get_financial_year(start_year=FinancialYear.start_year_for(day))


def create_pot(
    *,
    council: Council,
    name: str,
    kind: str,
    directorate: Directorate,
    financial_year: FinancialYear,
    budget_pence: int = 0,
    description: str = "",
    actor: User,
) -> FundingPot:
    """Open a funding pot for a financial year; pooled and aligned pots fill by contribution."""
    if directorate.council_id != council.pk:
        raise ValidationError({"directorate": "Choose a directorate of this council"})
    if kind == PotKind.MERGED:
        raise ValidationError({"kind": "Merge former pots to make a merged pot"})
    if kind in (PotKind.POOLED, PotKind.ALIGNED) and budget_pence:
        raise ValidationError(
            {"budget": "A pooled or aligned budget is the sum of its contributions"}
        )
    if budget_pence < 0:
        raise ValidationError({"budget": "Budget must be £0 or more"})
    pot = FundingPot(
        council=council,
        name=name,
        kind=kind,
        directorate=directorate,
        financial_year=financial_year,
        budget_pence=budget_pence,
        description=description,
    )
    with transaction.atomic():
        pot.full_clean()
        pot.save()
        log_action(
            action="strategy.pot.created",
            actor=actor,
            obj=pot,
            after={"kind": kind, "budget_pence": budget_pence, "year": str(financial_year)},
            council=council,
        )
    return pot


def locked_pot(*, pot: FundingPot) -> FundingPot:
    """The pot's row, locked until the transaction ends."""
    return FundingPot.objects.select_for_update().get(pk=pot.pk)


def set_pot_budget(*, pot: FundingPot, budget_pence: int, actor: User, reason: str) -> FundingPot:
    """Change a pot's budget; it can never fall below what is already committed."""
    if pot.kind in (PotKind.POOLED, PotKind.ALIGNED):
        raise ValidationError({"budget": "Change a pooled budget through its contributions"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for changing the budget"})
    with transaction.atomic():
        locked = locked_pot(pot=pot)
        if locked.merged_into_id:
            raise ValidationError({"budget": "This pot has been merged into another pot"})
        if budget_pence < locked.committed_pence:
            raise ValidationError(
                {
                    "budget": f"Budget must be at least {format_pence(locked.committed_pence)}, "
                    "the amount already committed"
                }
            )
        before = locked.budget_pence
        FundingPot.objects.filter(pk=pot.pk).update(budget_pence=budget_pence)
        locked.refresh_from_db()
        log_action(
            action="strategy.pot.budget_changed",
            actor=actor,
            obj=locked,
            before={"budget_pence": before},
            after={"budget_pence": budget_pence},
            reason=reason,
            council=locked.council,
        )
    return locked


def add_contribution(
    *,
    pot: FundingPot,
    amount_pence: int,
    actor: User,
    directorate: Directorate | None = None,
    partner_name: str = "",
) -> PotContribution:
    """Add a directorate's or partner's money to a pooled or aligned pot (§5.3)."""
    if pot.kind not in (PotKind.POOLED, PotKind.ALIGNED):
        raise ValidationError("Only pooled and aligned pots take contributions")
    if amount_pence <= 0:
        raise ValidationError({"amount": "Amount must be more than £0"})
    if bool(directorate) == bool(partner_name.strip()):
        raise ValidationError(
            {"directorate": "Choose a directorate or enter a partner's name, not both"}
        )
    if directorate is not None and directorate.council_id != pot.council_id:
        raise ValidationError({"directorate": "Choose a directorate of this council"})
    with transaction.atomic():
        locked = locked_pot(pot=pot)
        if locked.merged_into_id:
            raise ValidationError("This pot has been merged into another pot")
        contribution = PotContribution(
            pot=locked,
            amount_pence=amount_pence,
            directorate=directorate,
            partner_name=partner_name.strip(),
            recorded_by=actor,
        )
        contribution.full_clean()
        contribution.save()
        FundingPot.objects.filter(pk=pot.pk).update(budget_pence=F("budget_pence") + amount_pence)
        log_action(
            action="strategy.pot.contribution_added",
            actor=actor,
            obj=locked,
            before={"budget_pence": locked.budget_pence},
            after={
                "budget_pence": locked.budget_pence + amount_pence,
                "contributor": contribution.contributor,
                "amount_pence": amount_pence,
            },
            council=locked.council,
        )
    pot.refresh_from_db()
    return contribution


def merge_pots(
    *,
    pots: list[FundingPot],
    name: str,
    directorate: Directorate,
    actor: User,
    reason: str,
) -> FundingPot:
    """Merge former pots into one (§2.4): what was uncommitted moves; commitments stay put."""
    if len(pots) < 2:
        raise ValidationError({"pots": "Choose at least two pots to merge"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for merging the pots"})
    if len({(p.council_id, p.financial_year_id) for p in pots}) != 1:
        raise ValidationError({"pots": "Choose pots of the same council and financial year"})
    first = pots[0]
    if directorate.council_id != first.council_id:
        raise ValidationError({"directorate": "Choose a directorate of this council"})
    with transaction.atomic():
        locked = list(
            FundingPot.objects.select_for_update()
            .filter(pk__in=[p.pk for p in pots])
            .order_by("pk")
        )
        if any(p.merged_into_id for p in locked):
            raise ValidationError({"pots": "A chosen pot has already been merged"})
        carried = sum(p.remaining_pence for p in locked)
        merged = FundingPot(
            council=first.council,
            name=name,
            kind=PotKind.MERGED,
            directorate=directorate,
            financial_year=first.financial_year,
            budget_pence=carried,
            description=f"Formed by merging {', '.join(p.name for p in locked)}.",
        )
        merged.full_clean()
        merged.save()
        for former in locked:
            FundingPot.objects.filter(pk=former.pk).update(
                budget_pence=F("committed_pence"), merged_into=merged
            )
        PotMerge.objects.create(
            merged_pot=merged, merged_by=actor, reason=reason, carried_pence=carried
        )
        log_action(
            action="strategy.pot.merged",
            actor=actor,
            obj=merged,
            before={
                "pots": [
                    {"id": p.pk, "name": p.name, "budget_pence": p.budget_pence} for p in locked
                ]
            },
            after={"budget_pence": carried, "name": name},
            reason=reason,
            council=merged.council,
        )
    return merged

"""Money committed from a pot and released back to it, under a row lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.core.money import format_pence
from thrive.strategy.models import BudgetCommitment, FundingPot
from thrive.strategy.services.pots import locked_pot

if TYPE_CHECKING:
    from thrive.accounts.models import User


def commit_budget(
    *,
    pot: FundingPot,
    amount_pence: int,
    description: str,
    actor: User | None,
    source: models.Model | None = None,
    reason: str = "",
) -> BudgetCommitment:
    """Set money aside from a pot, under a row lock; refuse anything past the budget.

    The row lock makes concurrent commitments queue; the check constraint
    ``pot_never_over_committed`` refuses over-commitment even without it.
    """
    if amount_pence <= 0:
        raise ValidationError({"amount": "Amount must be more than £0"})
    if not description.strip():
        raise ValidationError({"description": "Enter what the money is for"})
    with transaction.atomic():
        locked = locked_pot(pot=pot)
        _take_from(locked, amount_pence)
        commitment = BudgetCommitment(
            pot=locked,
            amount_pence=amount_pence,
            description=description.strip(),
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            committed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        commitment.full_clean()
        commitment.save()
        log_action(
            action="strategy.budget.committed",
            actor=actor,
            obj=locked,
            before={"committed_pence": locked.committed_pence},
            after={
                "committed_pence": locked.committed_pence + amount_pence,
                "amount_pence": amount_pence,
                "commitment_id": commitment.pk,
                "description": commitment.description,
            },
            reason=reason,
            council=locked.council,
        )
    pot.refresh_from_db()
    return commitment


def _take_from(locked: FundingPot, amount_pence: int) -> None:
    """Add to the (locked) pot's committed total, or say why the money is not there."""
    if locked.merged_into_id:
        raise ValidationError(
            {"amount": f"This pot has been merged into {locked.merged_into}. Use that pot."}
        )
    if amount_pence > locked.remaining_pence:
        raise ValidationError(
            {
                "amount": f"There is not enough left in {locked.name}: "
                f"{format_pence(locked.remaining_pence)} remains and this commitment is "
                f"{format_pence(amount_pence)}"
            }
        )
    try:
        with transaction.atomic():
            FundingPot.objects.filter(pk=locked.pk).update(
                committed_pence=F("committed_pence") + amount_pence
            )
    except IntegrityError as exc:  # pragma: no cover - only a writer that skipped the lock
        raise ValidationError({"amount": f"There is not enough left in {locked.name}"}) from exc


def release_commitment(
    *, commitment: BudgetCommitment, actor: User | None, reason: str
) -> BudgetCommitment:
    """Give committed money back to its pot, for example when an award ends early."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for releasing the money"})
    with transaction.atomic():
        locked = locked_pot(pot=commitment.pot)
        current = BudgetCommitment.objects.select_for_update().get(pk=commitment.pk)
        if current.released_at:
            raise ValidationError("This commitment has already been released")
        FundingPot.objects.filter(pk=locked.pk).update(
            committed_pence=F("committed_pence") - current.amount_pence
        )
        if locked.merged_into_id:
            # The money of a merged pot lives on in the pot it was merged into.
            FundingPot.objects.filter(pk=locked.pk).update(
                budget_pence=F("budget_pence") - current.amount_pence
            )
            FundingPot.objects.filter(pk=locked.merged_into_id).update(
                budget_pence=F("budget_pence") + current.amount_pence
            )
        current.released_at = timezone.now()
        current.released_by = actor
        current.save(update_fields=["released_at", "released_by"])
        log_action(
            action="strategy.budget.released",
            actor=actor,
            obj=locked,
            before={"committed_pence": locked.committed_pence},
            after={
                "committed_pence": locked.committed_pence - current.amount_pence,
                "commitment_id": current.pk,
            },
            reason=reason,
            council=locked.council,
        )
    return current


def committed_total(*, pot: FundingPot) -> int:
    """The sum of the pot's active commitments, from the database."""
    total = pot.commitments.filter(released_at__isnull=True).aggregate(t=Sum("amount_pence"))["t"]
    return total or 0

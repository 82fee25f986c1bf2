"""Varying an active award: a change to its value or end date, or its termination, asked
for by one officer and decided by another. An approved change sends ``award_varied`` in
the same transaction, so monitoring's plan follows it or the change is undone."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.awards import years as award_years
from thrive.awards.instalments import split_amount
from thrive.awards.models import (
    Award,
    AwardStatus,
    Instalment,
    Variation,
    VariationKind,
    VariationStatus,
)
from thrive.awards.services.common import lock, person, snapshot
from thrive.awards.signals import award_varied
from thrive.core.money import format_pence
from thrive.core.roles import Role


def variation_deciders() -> tuple[str, ...]:
    """Roles that may approve a variation: finance officers and council administrators."""
    return (Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN)


def earliest_termination(*, award: Award, notice_given_on: date) -> date:
    """The first day the award may end, notice given on ``notice_given_on``."""
    return notice_given_on + timedelta(days=award.notice_period_days)


def _paid_total(award: Award) -> int:
    return sum(i.amount_pence for i in award.instalments.all() if i.paid_at)


def _check_value(award: Award, new_amount_pence: int | None) -> dict[str, str]:
    if new_amount_pence is None or new_amount_pence <= 0:
        return {"new_amount": "Enter the new amount, more than £0"}
    if new_amount_pence == award.amount_pence:
        return {"new_amount": "Enter an amount different from the current amount"}
    paid = _paid_total(award)
    if new_amount_pence < paid:
        return {
            "new_amount": f"The new amount cannot be less than the {format_pence(paid)} "
            "already paid"
        }
    return {}


def _check_end_date(award: Award, new_end_date: date | None) -> dict[str, str]:
    if new_end_date is None:
        return {"new_end_date": "Enter the new end date"}
    if new_end_date == award.end_date:
        return {"new_end_date": "Enter an end date different from the current end date"}
    if new_end_date < award.start_date:
        return {"new_end_date": "The end date must be on or after the start date"}
    return {}


def _check_termination(
    award: Award, new_end_date: date | None, notice_given_on: date | None
) -> dict[str, str]:
    if notice_given_on is None:
        return {"notice_given_on": "Enter the date notice was given"}
    if new_end_date is None:
        return {"new_end_date": "Enter the date the award ends"}
    earliest = earliest_termination(award=award, notice_given_on=notice_given_on)
    if new_end_date < earliest:
        return {
            "new_end_date": f"The award has a notice period of {award.notice_period_days} "
            f"days, so it can end no earlier than {earliest:%-d %B %Y}"
        }
    if new_end_date > award.end_date:
        return {
            "new_end_date": f"The award already ends on {award.end_date:%-d %B %Y}; choose "
            "an earlier date or change the end date instead"
        }
    return {}


def _check_variation(
    award: Award,
    *,
    kind: str,
    new_amount_pence: int | None,
    new_end_date: date | None,
    notice_given_on: date | None,
    reason: str,
) -> dict[str, str]:
    checks = {
        VariationKind.VALUE: lambda: _check_value(award, new_amount_pence),
        VariationKind.END_DATE: lambda: _check_end_date(award, new_end_date),
        VariationKind.TERMINATION: lambda: _check_termination(award, new_end_date, notice_given_on),
    }
    check = checks.get(kind)
    errors = (
        check()
        if check
        else {"kind": "Choose a change to value, a change to end date or a termination"}
    )
    if not reason.strip():
        errors["reason"] = "Enter the reason for the change"
    return errors


def request_variation(
    *,
    award: Award,
    actor: User | None,
    kind: str,
    reason: str,
    new_amount_pence: int | None = None,
    new_end_date: date | None = None,
    notice_given_on: date | None = None,
) -> Variation:
    """Ask for a change to an active award's value or end date, or its termination."""
    with transaction.atomic():
        locked = lock(award=award)
        if locked.status != AwardStatus.ACTIVE:
            raise ValidationError("Only an active award can be varied or ended")
        if locked.variations.filter(status=VariationStatus.REQUESTED).exists():
            raise ValidationError(
                "A change to this award is already waiting for a decision; decide that first"
            )
        errors = _check_variation(
            locked,
            kind=kind,
            new_amount_pence=new_amount_pence,
            new_end_date=new_end_date,
            notice_given_on=notice_given_on,
            reason=reason,
        )
        if errors:
            raise ValidationError(errors)
        variation = Variation.objects.create(
            award=locked,
            kind=kind,
            old_amount_pence=locked.amount_pence,
            new_amount_pence=new_amount_pence if kind == "value" else None,
            old_end_date=locked.end_date,
            new_end_date=new_end_date if kind != "value" else None,
            notice_given_on=notice_given_on if kind == "termination" else None,
            reason=reason.strip(),
            requested_by=person(actor=actor),
        )
        log_action(
            action="awards.variation.requested",
            actor=actor,
            obj=locked,
            after={
                "variation": variation.pk,
                "kind": kind,
                "new_amount_pence": variation.new_amount_pence,
                "new_end_date": variation.new_end_date,
                "notice_given_on": variation.notice_given_on,
            },
            reason=reason,
            council=locked.council,
        )
    return variation


def _unpaid(award: Award) -> list[Instalment]:
    return [i for i in award.instalments.order_by("number") if not i.paid_at]


def _apply_value(award: Award, new_amount: int, actor: User, reason: str) -> None:
    """Spread the difference over unpaid instalments and recommit the new amount by year."""
    _reschedule_value(award, new_amount)
    award_years.commit_years(award=award, pot=award.pot, actor=actor, reason=reason)


def _reschedule_value(award: Award, new_amount: int) -> None:
    difference = new_amount - award.amount_pence
    award.amount_pence = new_amount
    unpaid = _unpaid(award)
    if difference > 0 and not unpaid:
        last = award.instalments.order_by("-number").first()
        Instalment.objects.create(
            award=award,
            number=(last.number + 1) if last else 1,
            due_date=max(timezone.localdate(), award.start_date),
            amount_pence=difference,
        )
        return
    new_total = sum(i.amount_pence for i in unpaid) + difference
    count = min(len(unpaid), new_total)
    for instalment, share in zip(
        unpaid, split_amount(new_total, count) if count else [], strict=False
    ):
        instalment.amount_pence = share
        instalment.save(update_fields=["amount_pence"])
    for instalment in unpaid[count:]:
        instalment.delete()


def _apply_end_date(award: Award, new_end: date, actor: User, reason: str) -> None:
    award.end_date = new_end
    award.instalments.filter(paid_at__isnull=True, due_date__gt=new_end).update(due_date=new_end)
    award_years.commit_years(award=award, pot=award.pot, actor=actor, reason=reason)


def _apply_termination(award: Award, variation: Variation, actor: User) -> None:
    """End the award: drop unpaid instalments due after the end, keep paying those due
    before it, and give the rest of the money back to the pot."""
    end = variation.new_end_date
    award.instalments.filter(paid_at__isnull=True, due_date__gt=end).delete()
    kept = sum(award.instalments.values_list("amount_pence", flat=True))
    reason = f"Award {award.reference} ended early"
    award.end_date = max(end, award.start_date)
    if kept > 0:
        changed = kept != award.amount_pence
        award.amount_pence = kept
        if changed:
            award_years.commit_years(award=award, pot=award.pot, actor=actor, reason=reason)
    else:
        award_years.release_years(award=award, actor=actor, reason=reason)
    award.status = AwardStatus.TERMINATED
    award.ended_on = end
    award.end_reason = variation.reason


def _apply(award: Award, variation: Variation, actor: User) -> None:
    """Make the approved change to the award and save it."""
    if award.status != AwardStatus.ACTIVE:
        raise ValidationError("Only an active award can be varied or ended")
    reason = f"Variation of {award.reference}: {variation.reason}"[:500]
    if variation.kind == VariationKind.VALUE:
        _apply_value(award, variation.new_amount_pence, actor, reason)
    elif variation.kind == VariationKind.END_DATE:
        _apply_end_date(award, variation.new_end_date, actor, reason)
    else:
        _apply_termination(award, variation, actor)
    award.save()


def decide_variation(
    *, variation: Variation, actor: User, approve: bool, note: str = ""
) -> Variation:
    """A different officer (finance officer or council administrator) approves or rejects
    the change. Approval applies it: value changes commit more from the pot (refused,
    nothing changed, past its budget) or release money; a termination ends the award."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_role(*variation_deciders()):
        raise ValidationError("Only a finance officer or council administrator can decide")
    if not approve and not note.strip():
        raise ValidationError({"note": "Enter why the change is rejected"})
    with transaction.atomic():
        current = Variation.objects.select_for_update().get(pk=variation.pk)
        award = lock(award=current.award)
        if current.status != VariationStatus.REQUESTED:
            raise ValidationError("This change has already been decided")
        if current.requested_by_id and current.requested_by_id == actor.pk:
            raise ValidationError("A different officer must decide a change you asked for")
        before = snapshot(award=award)
        if approve:
            _apply(award, current, actor)
        current.status = VariationStatus.APPROVED if approve else VariationStatus.REJECTED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.note = note.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "note"])
        after = snapshot(award=award)
        log_action(
            action=f"awards.variation.{current.status}",
            actor=actor,
            obj=award,
            before={k: v for k, v in before.items() if after[k] != v},
            after={
                "variation": current.pk,
                "kind": current.kind,
                **{k: v for k, v in after.items() if before[k] != v},
            },
            reason=note or current.reason,
            council=award.council,
        )
        if approve:
            award_varied.send(sender=Award, award=award, actor=actor, kind=current.kind)
    return current

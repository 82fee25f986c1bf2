"""Paying an award's instalments, and releasing those held for a monitoring return."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.awards.models import Award, AwardStatus, Instalment
from thrive.awards.services.common import person

PAYABLE_STATUSES = (AwardStatus.ACTIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED)


def release_instalments(*, award: Award, actor: User | None, reason: str) -> list[Instalment]:
    """Release the instalments held for an accepted monitoring return.

    Releases every instalment now held (due, unpaid, waiting for a return); when none is
    held, releases the next one that would wait, so it is paid when it falls due.
    Returns the instalments released.
    """
    today = timezone.localdate()
    with transaction.atomic():
        waiting = list(
            Instalment.objects.select_for_update()
            .filter(
                award=award,
                requires_accepted_return=True,
                released_at__isnull=True,
                paid_at__isnull=True,
            )
            .order_by("number")
        )
        chosen = [i for i in waiting if i.due_date <= today] or waiting[:1]
        if not chosen:
            return []
        now = timezone.now()
        for instalment in chosen:
            instalment.released_at = now
        Instalment.objects.bulk_update(chosen, ["released_at"])
        log_action(
            action="awards.instalments.released",
            actor=actor,
            obj=award,
            after={"instalments": [i.number for i in chosen]},
            reason=reason,
            council=award.council,
        )
    return chosen


def record_payment(*, instalment: Instalment, actor: User | None, note: str = "") -> Instalment:
    """The finance officer records an instalment as paid; never while it is held for a
    monitoring return, never twice, never before the award is accepted."""
    with transaction.atomic():
        current = (
            Instalment.objects.select_for_update(of=("self", "award"))
            .select_related("award__council")
            .get(pk=instalment.pk)
        )
        award = current.award
        if award.status not in PAYABLE_STATUSES:
            raise ValidationError("An instalment can only be paid once the award is accepted")
        if current.paid_at:
            raise ValidationError("This instalment has already been paid")
        if current.requires_accepted_return and not current.released_at:
            raise ValidationError("This instalment is held until a monitoring return is accepted")
        current.paid_at = timezone.now()
        current.paid_by = person(actor=actor)
        current.note = note.strip()[:255]
        current.save(update_fields=["paid_at", "paid_by", "note"])
        log_action(
            action="awards.instalment.paid",
            actor=actor,
            obj=award,
            after={
                "instalment": current.number,
                "amount_pence": current.amount_pence,
                "paid_at": current.paid_at,
            },
            reason=note,
            council=award.council,
        )
    return current

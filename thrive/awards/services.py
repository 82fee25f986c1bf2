"""Changes to awards: making them within budget, their terms, offer and acceptance,
payments and variations. Every change that matters is audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thrive.audit.services import log_action
from thrive.awards.models import (
    Award,
    AwardKind,
    AwardStatus,
    Instalment,
    PaymentTiming,
    is_shorter_than_three_years,
)
from thrive.awards.signals import award_activated

MAX_INSTALMENTS = 60


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists


def term_months(start: date, end: date) -> int:
    """Months in the term from ``start`` to ``end`` inclusive, rounded, at least one."""
    return max(1, round(((end - start).days + 1) / 30.4375))


def default_instalment_count(kind: str, start: date, end: date) -> int:
    """One payment for a small grant; quarterly for agreements and contracts."""
    if kind == AwardKind.SMALL_GRANT:
        return 1
    return max(1, min(MAX_INSTALMENTS, -(-term_months(start, end) // 3)))


def split_amount(amount_pence: int, count: int) -> list[int]:
    """Equal parts in whole pence; the first instalments carry any odd pence."""
    base, extra = divmod(amount_pence, count)
    return [base + (1 if index < extra else 0) for index in range(count)]


def schedule_rows(
    *,
    kind: str,
    amount_pence: int,
    start_date: date,
    end_date: date,
    payment_timing: str,
    count: int | None = None,
) -> list[dict[str, Any]]:
    """The default payment schedule: equal instalments over the term, paid at the start
    of each period (in advance) or at its end (in arrears). Every instalment after the
    first of a funding agreement or contract waits for an accepted monitoring return."""
    count = count or default_instalment_count(kind, start_date, end_date)
    if count < 1 or count > MAX_INSTALMENTS:
        raise ValidationError(
            {"instalment_count": f"Enter a number of instalments from 1 to {MAX_INSTALMENTS}"}
        )
    if count > amount_pence:
        raise ValidationError({"instalment_count": "There are more instalments than pence"})
    total_days = (end_date - start_date).days + 1
    rows = []
    for index, amount in enumerate(split_amount(amount_pence, count)):
        period_start = start_date + timedelta(days=total_days * index // count)
        period_end = start_date + timedelta(days=total_days * (index + 1) // count - 1)
        due = period_start if payment_timing == PaymentTiming.ADVANCE else period_end
        rows.append(
            {
                "number": index + 1,
                "due_date": due,
                "amount_pence": amount,
                "requires_accepted_return": kind != AwardKind.SMALL_GRANT and index > 0,
            }
        )
    return rows


def _check_terms(
    *,
    kind: str,
    amount_pence: int,
    start_date: date,
    end_date: date,
    short_term_reason: str,
    payment_timing: str,
    final: bool,
) -> None:
    errors: dict[str, str] = {}
    if kind not in AwardKind.values:
        errors["kind"] = "Choose a small grant, funding agreement or contract"
    if amount_pence is None or amount_pence <= 0:
        errors["amount"] = "Enter an amount more than £0"
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if payment_timing not in PaymentTiming.values:
        errors["payment_timing"] = "Choose in advance or in arrears"
    if (
        final
        and kind != AwardKind.SMALL_GRANT
        and start_date
        and end_date
        and end_date >= start_date
        and is_shorter_than_three_years(start_date, end_date)
        and not short_term_reason.strip()
    ):
        errors["short_term_reason"] = (
            "Explain why this agreement is shorter than three years (strategy §2.10)"
        )
    if errors:
        raise ValidationError(errors)


def _commit(*, award: Award, pot: Any, amount_pence: int, actor: Any, reason: str) -> Any:
    from thrive.strategy import services as strategy

    if pot.council_id != award.council_id:
        raise ValidationError({"pot": "Choose a pot of the awarding council"})
    return strategy.commit_budget(
        pot=pot,
        amount_pence=amount_pence,
        description=f"{award.reference}: {award.title}"[:255],
        actor=actor,
        source=award,
        reason=reason or f"Award {award.reference}",
    )


def _release(*, award: Award, actor: Any, reason: str) -> None:
    from thrive.strategy import services as strategy

    if award.commitment_id and award.commitment.released_at is None:
        strategy.release_commitment(commitment=award.commitment, actor=actor, reason=reason)


def _send_activated(award: Award, actor: Any) -> None:
    transaction.on_commit(lambda: award_activated.send(sender=Award, award=award, actor=actor))


def create_award(
    *,
    organisation: Any,
    council: Any,
    directorate: Any,
    kind: str,
    title: str,
    amount_pence: int,
    start_date: date,
    end_date: date,
    actor: Any,
    pot: Any = None,
    application: Any = None,
    opportunity: Any = None,
    lot: Any = None,
    outcomes: Iterable[Any] = (),
    description: str = "",
    payment_timing: str = PaymentTiming.ADVANCE,
    instalment_count: int | None = None,
    conditions: str = "",
    short_term_reason: str = "",
    status: str = AwardStatus.DRAFT,
    reason: str = "",
) -> Award:
    """Make an award, commit its money against ``pot`` and build its payment schedule.

    Refuses (``ValidationError``, nothing changed) when the pot cannot cover the amount.
    A DRAFT award may still lack the §2.10 reason for a short term; an award made
    OFFERED or ACTIVE needs it. An ACTIVE award sends ``award_activated`` on commit.
    """
    if status not in (AwardStatus.DRAFT, AwardStatus.OFFERED, AwardStatus.ACTIVE):
        raise ValidationError({"status": "A new award is a draft, offered or active"})
    _check_terms(
        kind=kind,
        amount_pence=amount_pence,
        start_date=start_date,
        end_date=end_date,
        short_term_reason=short_term_reason,
        payment_timing=payment_timing,
        final=status != AwardStatus.DRAFT,
    )
    rows = schedule_rows(
        kind=kind,
        amount_pence=amount_pence,
        start_date=start_date,
        end_date=end_date,
        payment_timing=payment_timing,
        count=instalment_count,
    )
    now = timezone.now()
    with transaction.atomic():
        award = Award(
            organisation=organisation,
            council=council,
            directorate=directorate,
            kind=kind,
            title=title.strip()[:255],
            description=description.strip(),
            amount_pence=amount_pence,
            start_date=start_date,
            end_date=end_date,
            status=status,
            pot=pot,
            application=application,
            opportunity=opportunity,
            lot=lot,
            payment_timing=payment_timing,
            conditions=conditions.strip(),
            short_term_reason=short_term_reason.strip(),
            created_by=_person(actor),
            offered_at=now if status == AwardStatus.OFFERED else None,
            offered_by=_person(actor) if status == AwardStatus.OFFERED else None,
            accepted_at=now if status == AwardStatus.ACTIVE else None,
        )
        award.full_clean(exclude=["reference", "commitment", "pot"])
        award.save()
        if pot is not None:
            award.commitment = _commit(
                award=award, pot=pot, amount_pence=amount_pence, actor=actor, reason=reason
            )
            award.save(update_fields=["commitment"])
        if outcomes:
            award.outcomes.set(outcomes)
        Instalment.objects.bulk_create(Instalment(award=award, **row) for row in rows)
        log_action(
            action="awards.award.created",
            actor=actor,
            obj=award,
            after={
                "reference": award.reference,
                "kind": award.kind,
                "status": award.status,
                "organisation": organisation.pk,
                "amount_pence": amount_pence,
                "start_date": start_date,
                "end_date": end_date,
                "pot": pot.pk if pot is not None else None,
                "application": application.pk if application is not None else None,
                "instalments": len(rows),
            },
            reason=reason,
            council=council,
        )
        if status == AwardStatus.ACTIVE:
            _send_activated(award, actor)
    return award


def release_instalments(award: Award, *, actor: Any, reason: str) -> list[Instalment]:
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

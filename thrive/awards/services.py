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
from thrive.awards import years as award_years
from thrive.awards.models import (
    Award,
    AwardKind,
    AwardStatus,
    Instalment,
    PaymentTiming,
    is_shorter_than_three_years,
)
from thrive.awards.signals import award_activated, award_varied
from thrive.core.money import format_pence

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


def _period_starts(start: date, end: date, count: int) -> list[date]:
    """The first day of each of ``count`` periods of the term: whole calendar months where
    the term has a month per period (so a three-year agreement pays once in each April-to-
    March year even across a 29 February), else equal numbers of days."""
    months = term_months(start, end)
    if months >= count:
        return [_add_months(start, months * index // count) for index in range(count)]
    total_days = (end - start).days + 1
    return [start + timedelta(days=total_days * index // count) for index in range(count)]


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
    starts = _period_starts(start_date, end_date, count)
    rows = []
    for index, amount in enumerate(split_amount(amount_pence, count)):
        period_start = starts[index]
        period_end = starts[index + 1] - timedelta(days=1) if index + 1 < count else end_date
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


def _release(*, award: Award, actor: Any, reason: str) -> None:
    award_years.release_years(award=award, actor=actor, reason=reason)


def _send_activated(award: Award, actor: Any) -> None:
    transaction.on_commit(lambda: award_activated.send(sender=Award, award=award, actor=actor))


def _send_varied(award: Award, actor: Any, kind: str) -> None:
    transaction.on_commit(
        lambda: award_varied.send(sender=Award, award=award, actor=actor, kind=kind)
    )


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
        if outcomes:
            award.outcomes.set(outcomes)
        Instalment.objects.bulk_create(Instalment(award=award, **row) for row in rows)
        parts = award_years.commit_years(award=award, pot=pot, actor=actor, reason=reason)
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
                "years": _years_audit(parts),
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


# --- terms while the award is a draft ------------------------------------------------

TERM_FIELDS = (
    "title",
    "description",
    "amount_pence",
    "start_date",
    "end_date",
    "payment_timing",
    "conditions",
    "short_term_reason",
    "notice_period_days",
)


def _locked(award: Award) -> Award:
    # Lock the award's own row only: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the outer joins to its pot and commitment.
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("council", "commitment", "pot", "organisation")
        .get(pk=award.pk)
    )


def _snapshot(award: Award) -> dict[str, Any]:
    data = {name: getattr(award, name) for name in TERM_FIELDS}
    data["pot"] = award.pot_id
    data["status"] = award.status
    return data


def _require_draft(award: Award) -> None:
    if award.status != AwardStatus.DRAFT:
        raise ValidationError(
            f"The terms can only be changed while the award is a draft; it is "
            f"{award.get_status_display().lower()}"
        )


def _recommit(*, award: Award, pot: Any, actor: Any, reason: str) -> None:
    """Split the award's amount by year again and commit each part against that year's pot
    of ``pot``'s line (or none): what was committed is released first, all or nothing."""
    award_years.commit_years(award=award, pot=pot, actor=actor, reason=reason)


def _years_audit(parts: list[Any]) -> dict[str, int]:
    return {part.label: part.amount_pence for part in parts}


def _rebuild_schedule(award: Award, count: int | None = None) -> None:
    rows = schedule_rows(
        kind=award.kind,
        amount_pence=award.amount_pence,
        start_date=award.start_date,
        end_date=award.end_date,
        payment_timing=award.payment_timing,
        count=count,
    )
    award.instalments.all().delete()
    Instalment.objects.bulk_create(Instalment(award=award, **row) for row in rows)


def update_terms(
    *, award: Award, actor: Any, outcomes: Iterable[Any] | None = None, **changes: Any
) -> Award:
    """Change a draft award's terms. A new amount, term or payment timing rebuilds the
    payment schedule with the same number of instalments; that or a new pot splits the
    money by year again and moves each year's commitment (refused, nothing changed, when
    a year's pot cannot cover its part)."""
    unknown = set(changes) - set(TERM_FIELDS) - {"pot"}
    if unknown:
        raise ValueError(f"Not terms of an award: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(award)
        _require_draft(locked)
        before = _snapshot(locked)
        pot = changes.pop("pot", locked.pot)
        for name, value in changes.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        _check_terms(
            kind=locked.kind,
            amount_pence=locked.amount_pence,
            start_date=locked.start_date,
            end_date=locked.end_date,
            short_term_reason=locked.short_term_reason,
            payment_timing=locked.payment_timing,
            final=False,
        )
        locked.full_clean(exclude=["reference", "commitment", "pot", "application"])
        rescheduled = any(
            before[name] != getattr(locked, name)
            for name in ("amount_pence", "start_date", "end_date", "payment_timing")
        )
        if rescheduled:
            _rebuild_schedule(locked, locked.instalments.count() or None)
        if rescheduled or (pot.pk if pot is not None else None) != before["pot"]:
            _recommit(
                award=locked, pot=pot, actor=actor, reason=f"Terms of {locked.reference} changed"
            )
        locked.save()
        if outcomes is not None:
            locked.outcomes.set(outcomes)
        after = _snapshot(locked)
        log_action(
            action="awards.award.terms_changed",
            actor=actor,
            obj=locked,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
            council=locked.council,
        )
    award.refresh_from_db()
    return award


def _replace_rows(
    *,
    award: Award,
    model: Any,
    related: str,
    rows: list[dict[str, Any]],
    actor: Any,
    action: str,
    shown: tuple[str, ...],
    per_row: Any = None,
) -> None:
    """Replace a draft award's rows of ``model`` (targets or social value), audited."""
    with transaction.atomic():
        locked = _locked(award)
        _require_draft(locked)
        manager = getattr(locked, related)
        before = list(manager.values(*shown))
        manager.all().delete()
        made = []
        for index, row in enumerate(rows):
            item = model(award=locked, **row, **(per_row(index) if per_row else {}))
            item.full_clean(exclude=["award"])
            made.append(item)
        model.objects.bulk_create(made)
        log_action(
            action=action,
            actor=actor,
            obj=locked,
            before=before,
            after=[{name: getattr(item, name) for name in shown} for item in made],
            council=locked.council,
        )


def set_targets(*, award: Award, rows: list[dict[str, Any]], actor: Any) -> None:
    """Replace a draft award's targets with ``rows`` (outcome, description, unit,
    target_value)."""
    from thrive.awards.models import AwardTarget

    _replace_rows(
        award=award,
        model=AwardTarget,
        related="targets",
        rows=rows,
        actor=actor,
        action="awards.award.targets_changed",
        shown=("description", "unit", "target_value"),
        per_row=lambda index: {"order": index},
    )


def set_social_value(*, award: Award, rows: list[dict[str, Any]], actor: Any) -> None:
    """Replace a draft award's social value commitments (theme, description, measure,
    target_value)."""
    from thrive.awards.models import SocialValueCommitment

    _replace_rows(
        award=award,
        model=SocialValueCommitment,
        related="social_value",
        rows=rows,
        actor=actor,
        action="awards.award.social_value_changed",
        shown=("theme", "description", "target_value"),
    )


def check_schedule(award: Award, rows: list[dict[str, Any]]) -> None:
    """A schedule adds up to the award's amount, has at least one instalment and no
    instalment of £0 or less."""
    if not rows:
        raise ValidationError({"instalments": "Add at least one instalment"})
    if any((row.get("amount_pence") or 0) <= 0 for row in rows):
        raise ValidationError({"instalments": "Each instalment must be more than £0"})
    total = sum(row["amount_pence"] for row in rows)
    if total != award.amount_pence:
        raise ValidationError(
            {
                "instalments": f"The instalments add up to {format_pence(total)}; they must "
                f"add up to the award's {format_pence(award.amount_pence)}"
            }
        )


def set_schedule(*, award: Award, rows: list[dict[str, Any]], actor: Any) -> None:
    """Replace a draft award's payment schedule (due_date, amount_pence,
    requires_accepted_return); the instalments must add up to the amount."""
    with transaction.atomic():
        locked = _locked(award)
        _require_draft(locked)
        rows = sorted(rows, key=lambda r: r["due_date"])
        check_schedule(locked, rows)
        before = list(locked.instalments.values("number", "due_date", "amount_pence"))
        locked.instalments.all().delete()
        Instalment.objects.bulk_create(
            Instalment(
                award=locked,
                number=index + 1,
                due_date=row["due_date"],
                amount_pence=row["amount_pence"],
                requires_accepted_return=bool(row.get("requires_accepted_return")),
            )
            for index, row in enumerate(rows)
        )
        _recommit(
            award=locked,
            pot=locked.pot,
            actor=actor,
            reason=f"Payment schedule of {locked.reference} changed",
        )
        log_action(
            action="awards.award.schedule_changed",
            actor=actor,
            obj=locked,
            before=before,
            after=[
                {"number": i + 1, "due_date": r["due_date"], "amount_pence": r["amount_pence"]}
                for i, r in enumerate(rows)
            ],
            council=locked.council,
        )


# --- offer, acceptance and decline ---------------------------------------------------


def offer_problems(award: Award) -> list[str]:
    """What stops a draft award being offered, in plain words; empty when ready."""
    problems = []
    if award.status != AwardStatus.DRAFT:
        problems.append("Only a draft award can be offered")
    if award.is_short_term and not award.short_term_reason.strip():
        problems.append("Explain why this agreement is shorter than three years (strategy §2.10)")
    instalments = list(award.instalments.all())
    if sum(i.amount_pence for i in instalments) != award.amount_pence:
        problems.append("The payment schedule must add up to the amount of the award")
    return problems


def issue_offer(*, award: Award, actor: Any) -> Award:
    """Issue the award letter: DRAFT → OFFERED, and email the organisation's admins."""
    from thrive.awards import tasks
    from thrive.core.tasks import enqueue_on_commit

    with transaction.atomic():
        locked = _locked(award)
        problems = offer_problems(locked)
        if problems:
            raise ValidationError(problems)
        locked.status = AwardStatus.OFFERED
        locked.offered_at = timezone.now()
        locked.offered_by = _person(actor)
        locked.save(update_fields=["status", "offered_at", "offered_by"])
        log_action(
            action="awards.award.offered",
            actor=actor,
            obj=locked,
            before={"status": AwardStatus.DRAFT},
            after={"status": locked.status, "offered_at": locked.offered_at},
            council=locked.council,
        )
        enqueue_on_commit(tasks.send_offer, locked.pk)
    award.refresh_from_db()
    return award


def _require_offered(award: Award) -> None:
    if award.status != AwardStatus.OFFERED:
        raise ValidationError(
            f"This award is {award.get_status_display().lower()}, so it cannot be accepted "
            "or declined"
        )


def accept_offer(*, award: Award, actor: Any, name: str) -> Award:
    """The provider accepts: records who and when, makes the award ACTIVE and sends
    ``award_activated`` once committed."""
    if not name.strip():
        raise ValidationError({"name": "Enter your full name to accept the award"})
    with transaction.atomic():
        locked = _locked(award)
        _require_offered(locked)
        locked.status = AwardStatus.ACTIVE
        locked.accepted_at = timezone.now()
        locked.accepted_by = _person(actor)
        locked.accepted_name = name.strip()[:200]
        locked.save(update_fields=["status", "accepted_at", "accepted_by", "accepted_name"])
        log_action(
            action="awards.award.accepted",
            actor=actor,
            obj=locked,
            before={"status": AwardStatus.OFFERED},
            after={"status": locked.status, "accepted_name": locked.accepted_name},
            council=locked.council,
        )
        _send_activated(locked, actor)
    award.refresh_from_db()
    return award


def decline_offer(*, award: Award, actor: Any, reason: str) -> Award:
    """The provider declines: the award is DECLINED and its money goes back to the pot."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are declining the award"})
    with transaction.atomic():
        locked = _locked(award)
        _require_offered(locked)
        _release(award=locked, actor=actor, reason=f"Award {locked.reference} declined")
        locked.status = AwardStatus.DECLINED
        locked.declined_at = timezone.now()
        locked.decline_reason = reason.strip()
        locked.save(update_fields=["status", "declined_at", "decline_reason"])
        log_action(
            action="awards.award.declined",
            actor=actor,
            obj=locked,
            before={"status": AwardStatus.OFFERED},
            after={"status": locked.status},
            reason=reason,
            council=locked.council,
        )
    award.refresh_from_db()
    return award


# --- payments ----------------------------------------------------------------------

PAYABLE_STATUSES = (AwardStatus.ACTIVE, AwardStatus.COMPLETED, AwardStatus.TERMINATED)


def record_payment(*, instalment: Instalment, actor: Any, note: str = "") -> Instalment:
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
        current.paid_by = _person(actor)
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


# --- variations and endings ----------------------------------------------------------


def variation_deciders() -> tuple[str, ...]:
    """Roles that may approve a variation: finance officers and council administrators."""
    from thrive.accounts.models import Role

    return (Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN)


def _paid_total(award: Award) -> int:
    return sum(i.amount_pence for i in award.instalments.all() if i.paid_at)


def earliest_termination(award: Award, notice_given_on: date) -> date:
    return notice_given_on + timedelta(days=award.notice_period_days)


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
    earliest = earliest_termination(award, notice_given_on)
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
    from thrive.awards.models import VariationKind

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
    actor: Any,
    kind: str,
    reason: str,
    new_amount_pence: int | None = None,
    new_end_date: date | None = None,
    notice_given_on: date | None = None,
) -> Any:
    """Ask for a change to an active award's value or end date, or its termination."""
    from thrive.awards.models import Variation, VariationStatus

    with transaction.atomic():
        locked = _locked(award)
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
            requested_by=_person(actor),
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


def _apply_value(award: Award, new_amount: int, actor: Any, reason: str) -> None:
    """Spread the difference over unpaid instalments and recommit the new amount by year."""
    _reschedule_value(award, new_amount)
    _recommit(award=award, pot=award.pot, actor=actor, reason=reason)


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


def _apply_end_date(award: Award, new_end: date, actor: Any, reason: str) -> None:
    award.end_date = new_end
    award.instalments.filter(paid_at__isnull=True, due_date__gt=new_end).update(due_date=new_end)
    _recommit(award=award, pot=award.pot, actor=actor, reason=reason)


def _apply_termination(award: Award, variation: Any, actor: Any) -> None:
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
            _recommit(award=award, pot=award.pot, actor=actor, reason=reason)
    else:
        _release(award=award, actor=actor, reason=reason)
    award.status = AwardStatus.TERMINATED
    award.ended_on = end
    award.end_reason = variation.reason


def decide_variation(*, variation: Any, actor: Any, approve: bool, note: str = "") -> Any:
    """A different officer (finance officer or council administrator) approves or rejects
    the change. Approval applies it: value changes commit more from the pot (refused,
    nothing changed, past its budget) or release money; a termination ends the award."""
    from thrive.awards.models import Variation, VariationKind, VariationStatus

    if not getattr(actor, "is_authenticated", False) or not actor.has_role(*variation_deciders()):
        raise ValidationError("Only a finance officer or council administrator can decide")
    if not approve and not note.strip():
        raise ValidationError({"note": "Enter why the change is rejected"})
    with transaction.atomic():
        current = Variation.objects.select_for_update().get(pk=variation.pk)
        award = _locked(current.award)
        if current.status != VariationStatus.REQUESTED:
            raise ValidationError("This change has already been decided")
        if current.requested_by_id and current.requested_by_id == actor.pk:
            raise ValidationError("A different officer must decide a change you asked for")
        before = _snapshot(award)
        if approve:
            if award.status != AwardStatus.ACTIVE:
                raise ValidationError("Only an active award can be varied or ended")
            reason = f"Variation of {award.reference}: {current.reason}"[:500]
            if current.kind == VariationKind.VALUE:
                _apply_value(award, current.new_amount_pence, actor, reason)
            elif current.kind == VariationKind.END_DATE:
                _apply_end_date(award, current.new_end_date, actor, reason)
            else:
                _apply_termination(award, current, actor)
            award.save()
            _send_varied(award, actor, current.kind)
        current.status = VariationStatus.APPROVED if approve else VariationStatus.REJECTED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.note = note.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "note"])
        after = _snapshot(award)
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
    return current

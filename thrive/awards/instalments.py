"""The arithmetic of a payment schedule: months in a term, equal parts in whole pence, and
the default instalments of an award. Nothing here reads or writes the database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError

from thrive.awards.models import AwardKind, PaymentTiming

MAX_INSTALMENTS = 60


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

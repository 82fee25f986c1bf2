"""What the awards services share: who acted, the locked award, its terms as audited and
the checks on terms made both when an award is made and when a draft changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from thrive.accounts.models import User
from thrive.awards.models import Award, AwardKind, AwardStatus, AwardYear, PaymentTiming
from thrive.awards.models import is_shorter_than_three_years as _is_short

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


def person(*, actor: User | None) -> User | None:
    """The signed-in person who acted, or None for the system."""
    return actor if getattr(actor, "is_authenticated", False) else None


def lock(*, award: Award) -> Award:
    """The award read again with its row locked until the transaction ends."""
    # Lock the award's own row only: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the outer joins to its pot and commitment.
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("council", "commitment", "pot", "organisation")
        .get(pk=award.pk)
    )


def snapshot(*, award: Award) -> dict[str, Any]:
    """The award's terms, pot and status, as the audit trail records them."""
    data = {name: getattr(award, name) for name in TERM_FIELDS}
    data["pot"] = award.pot_id
    data["status"] = award.status
    return data


def require_draft(*, award: Award) -> None:
    """Refuse unless the award is still a draft."""
    if award.status != AwardStatus.DRAFT:
        raise ValidationError(
            f"The terms can only be changed while the award is a draft; it is "
            f"{award.get_status_display().lower()}"
        )


def years_audit(*, parts: Iterable[AwardYear]) -> dict[str, int]:
    """The award's money by year, as the audit trail records it."""
    return {part.label: part.amount_pence for part in parts}


def _needs_short_term_reason(
    *, kind: str, start_date: date, end_date: date, short_term_reason: str
) -> bool:
    return (
        kind != AwardKind.SMALL_GRANT
        and bool(start_date and end_date)
        and end_date >= start_date
        and _is_short(start_date, end_date)
        and not short_term_reason.strip()
    )


def check_terms(
    *,
    kind: str,
    amount_pence: int | None,
    start_date: date,
    end_date: date,
    short_term_reason: str,
    payment_timing: str,
    final: bool,
) -> None:
    """Refuse terms no award may have; ``final`` also needs the §2.10 reason for a short term."""
    errors: dict[str, str] = {}
    if kind not in AwardKind.values:
        errors["kind"] = "Choose a small grant, funding agreement or contract"
    if amount_pence is None or amount_pence <= 0:
        errors["amount"] = "Enter an amount more than £0"
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if payment_timing not in PaymentTiming.values:
        errors["payment_timing"] = "Choose in advance or in arrears"
    if final and _needs_short_term_reason(
        kind=kind, start_date=start_date, end_date=end_date, short_term_reason=short_term_reason
    ):
        errors["short_term_reason"] = (
            "Explain why this agreement is shorter than three years (strategy §2.10)"
        )
    if errors:
        raise ValidationError(errors)

"""A draft award's payment schedule: rebuilt from its terms, or set by hand."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.awards import years as award_years
from thrive.awards.instalments import schedule_rows
from thrive.awards.models import Award, Instalment
from thrive.awards.services.common import lock, require_draft
from thrive.core.money import format_pence


def rebuild_schedule(*, award: Award, count: int | None = None) -> None:
    """Lay out the award's default instalments again from its amount, term and timing."""
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


def check_schedule(*, award: Award, rows: list[dict[str, Any]]) -> None:
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


def set_schedule(*, award: Award, rows: list[dict[str, Any]], actor: User | None) -> None:
    """Replace a draft award's payment schedule (due_date, amount_pence,
    requires_accepted_return); the instalments must add up to the amount."""
    with transaction.atomic():
        locked = lock(award=award)
        require_draft(award=locked)
        rows = sorted(rows, key=lambda r: r["due_date"])
        check_schedule(award=locked, rows=rows)
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
        award_years.commit_years(
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

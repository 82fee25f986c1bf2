"""Changing a draft award's terms, targets and social value commitments."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction

from thrive.accounts.models import User
from thrive.audit.services import log_action
from thrive.awards import years as award_years
from thrive.awards.models import Award, AwardTarget, SocialValueCommitment
from thrive.awards.services.common import TERM_FIELDS, check_terms, lock, require_draft, snapshot
from thrive.awards.services.schedule import rebuild_schedule
from thrive.strategy.models import Outcome

RESCHEDULING = ("amount_pence", "start_date", "end_date", "payment_timing")


def update_terms(
    *, award: Award, actor: User | None, outcomes: Iterable[Outcome] | None = None, **changes: Any
) -> Award:
    """Change a draft award's terms. A new amount, term or payment timing rebuilds the
    payment schedule with the same number of instalments; that or a new pot splits the
    money by year again and moves each year's commitment (refused, nothing changed, when
    a year's pot cannot cover its part)."""
    unknown = set(changes) - set(TERM_FIELDS) - {"pot"}
    if unknown:
        raise ValueError(f"Not terms of an award: {sorted(unknown)}")
    with transaction.atomic():
        locked = lock(award=award)
        require_draft(award=locked)
        before = snapshot(award=locked)
        pot = changes.pop("pot", locked.pot)
        for name, value in changes.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        check_terms(
            kind=locked.kind,
            amount_pence=locked.amount_pence,
            start_date=locked.start_date,
            end_date=locked.end_date,
            short_term_reason=locked.short_term_reason,
            payment_timing=locked.payment_timing,
            final=False,
        )
        locked.full_clean(exclude=["reference", "commitment", "pot", "application"])
        rescheduled = any(before[name] != getattr(locked, name) for name in RESCHEDULING)
        if rescheduled:
            rebuild_schedule(award=locked, count=locked.instalments.count() or None)
        if rescheduled or (pot.pk if pot is not None else None) != before["pot"]:
            award_years.commit_years(
                award=locked, pot=pot, actor=actor, reason=f"Terms of {locked.reference} changed"
            )
        locked.save()
        if outcomes is not None:
            locked.outcomes.set(outcomes)
        after = snapshot(award=locked)
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
    model: type[models.Model],
    related: str,
    rows: list[dict[str, Any]],
    actor: User | None,
    action: str,
    shown: tuple[str, ...],
    per_row: Callable[[int], dict[str, Any]] | None = None,
) -> None:
    """Replace a draft award's rows of ``model`` (targets or social value), audited."""
    with transaction.atomic():
        locked = lock(award=award)
        require_draft(award=locked)
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


def set_targets(*, award: Award, rows: list[dict[str, Any]], actor: User | None) -> None:
    """Replace a draft award's targets with ``rows`` (outcome, description, unit,
    target_value)."""
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


def set_social_value(*, award: Award, rows: list[dict[str, Any]], actor: User | None) -> None:
    """Replace a draft award's social value commitments (theme, description, measure,
    target_value)."""
    _replace_rows(
        award=award,
        model=SocialValueCommitment,
        related="social_value",
        rows=rows,
        actor=actor,
        action="awards.award.social_value_changed",
        shown=("theme", "description", "target_value"),
    )

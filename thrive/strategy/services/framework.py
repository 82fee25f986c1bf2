"""Changes to the outcomes framework and the directorates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from thrive.audit.services import log_action
from thrive.strategy.models import Directorate, Outcome
from thrive.strategy.services.common import snapshot

if TYPE_CHECKING:
    from thrive.accounts.models import User

OUTCOME_FIELDS = ("kind", "code", "title", "description", "parent_id", "is_active", "order")


def _check_parent(outcome: Outcome) -> None:
    parent = outcome.parent
    if parent is None:
        return
    if parent.council_id != outcome.council_id:
        raise ValidationError({"parent": "Choose an outcome of the same council"})
    seen = set()
    while parent is not None:
        if outcome.pk and parent.pk == outcome.pk:
            raise ValidationError({"parent": "An outcome cannot sit under itself"})
        if parent.pk in seen:  # pragma: no cover - a loop already in the data
            break
        seen.add(parent.pk)
        parent = parent.parent


def save_outcome(*, outcome: Outcome, actor: User) -> Outcome:
    """Create or change an outcome in the framework."""
    before = None
    if outcome.pk:
        before = snapshot(obj=Outcome.objects.get(pk=outcome.pk), fields=OUTCOME_FIELDS)
    _check_parent(outcome)
    with transaction.atomic():
        outcome.full_clean()
        outcome.save()
        log_action(
            action="strategy.outcome.changed" if before else "strategy.outcome.created",
            actor=actor,
            obj=outcome,
            before=before,
            after=snapshot(obj=outcome, fields=OUTCOME_FIELDS),
            council=outcome.council,
        )
    return outcome


def save_directorate(*, directorate: Directorate, actor: User) -> Directorate:
    """Create or change a directorate."""
    before = None
    if directorate.pk:
        old = Directorate.objects.get(pk=directorate.pk)
        before = {"code": old.code, "name": old.name, "is_active": old.is_active}
    with transaction.atomic():
        directorate.full_clean()
        directorate.save()
        log_action(
            action="strategy.directorate.changed" if before else "strategy.directorate.created",
            actor=actor,
            obj=directorate,
            before=before,
            after={
                "code": directorate.code,
                "name": directorate.name,
                "is_active": directorate.is_active,
            },
            council=directorate.council,
        )
    return directorate

"""Helpers the strategy's services share: snapshots and audited saves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from thrive.audit.services import log_action

if TYPE_CHECKING:
    from thrive.accounts.models import User


def snapshot(*, obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a record, for an audit event's before or after."""
    return {name: getattr(obj, name) for name in fields}


def save_audited(
    *, obj: models.Model, fields: tuple[str, ...], actions: tuple[str, str], actor: User | None
) -> Any:
    """Save a new or changed record of a council and audit it with before and after."""
    model = type(obj)
    before = snapshot(obj=model.objects.get(pk=obj.pk), fields=fields) if obj.pk else None
    with transaction.atomic():
        if not obj.pk:
            obj.created_by = actor if getattr(actor, "is_authenticated", False) else None
        obj.save()
        log_action(
            action=actions[1] if before else actions[0],
            actor=actor,
            obj=obj,
            before=before,
            after=snapshot(obj=obj, fields=fields),
            council=obj.council,
        )
    return obj

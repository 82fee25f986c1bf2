"""Reads of the audit log, scoped by the policy, with sealed bidders' names withheld."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from thrive.audit import withholding
from thrive.audit.models import AuditEvent
from thrive.core import policy

EXPORT_LIMIT = 50_000
EXPORT_HEADERS = [
    "Number",
    "When",
    "Who",
    "Action",
    "Object type",
    "Object",
    "What",
    "Before",
    "After",
    "Reason",
    "Request",
]


def events_for_user(*, user: Any, action: str = "", object_type: str = "") -> QuerySet[AuditEvent]:
    """The events this user may read (all for system admins, else their council's), without
    those kept back while a sealed bid is sealed."""
    events = AuditEvent.objects.select_related("council", "actor").order_by("-sequence")
    events = withholding.visible(events)
    if not policy.is_system_admin(user):
        events = events.filter(council_id=user.council_id)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    return events


def who(event: AuditEvent) -> str:
    """Who acted, as the log shows it: a person, the system, or withheld while sealed."""
    if getattr(event, "withheld", False):
        return withholding.WITHHELD_LABEL
    return str(event.actor) if event.actor_id else "System"


def iter_shown(events: QuerySet[AuditEvent], *, batch_size: int = 2000) -> Iterator[AuditEvent]:
    """The events as the reader may see them, a batch at a time (one withholding query each)."""
    batch: list[AuditEvent] = []
    for event in events.iterator(chunk_size=batch_size):
        batch.append(event)
        if len(batch) == batch_size:
            yield from withholding.as_shown(batch)
            batch = []
    yield from withholding.as_shown(batch)


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


# What an export row and the withholding read of an event and of who acted, and no more:
# no council, hashes or chain, nor the rest of the person's account.
_EXPORT_READS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "request_id",
    "actor__username",
    "actor__first_name",
    "actor__last_name",
)


def export_rows(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    """The newest events (at most ``EXPORT_LIMIT``) as export rows, names withheld as shown."""
    events = events.select_related(None).select_related("actor").only(*_EXPORT_READS)
    for event in iter_shown(events[:EXPORT_LIMIT]):
        yield [
            event.sequence,
            timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            who(event),
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            _json(event.before),
            _json(event.after),
            event.reason,
            event.request_id,
        ]

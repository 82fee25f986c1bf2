"""Writing to the audit log and checking its hash chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from thrive.audit.models import AuditChainHead, AuditEvent
from thrive.core.request_context import current_request_id

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    Actor = AbstractBaseUser | AnonymousUser | None

GENESIS_HASH = "0" * 64


def _json_value(value: object) -> Any:
    """Make a value plain JSON (dates, decimals, UUIDs as text) so it hashes the same later."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(*, event: AuditEvent) -> str:
    """Return the SHA-256 of the event's content and the previous event's hash."""
    content = {
        "sequence": event.sequence,
        "occurred_at": _canonical_time(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "council_id": event.council_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _label(obj: models.Model | None) -> str:
    """How the log names an object: never a person's name, which may later be erased."""
    if obj is None:
        return ""
    label = getattr(obj, "audit_label", None)
    return (label() if callable(label) else str(obj))[:255]


@dataclass(frozen=True)
class Entry:
    """One event to log with ``log_actions``: the same arguments as ``log_action``."""

    action: str
    obj: models.Model | None = None
    before: object = None
    after: object = None
    reason: str = ""


def _chained(
    head: AuditChainHead, entry: Entry, actor: Actor, council: models.Model | None
) -> AuditEvent:
    """The next event of the chain after ``head``, hashed; the head moves on to it."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    obj = entry.obj
    event = AuditEvent(
        sequence=head.sequence + 1,
        actor=actor if is_person else None,
        actor_label=f"user:{actor.pk}" if is_person else "system",
        council=council,
        action=entry.action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_label(obj),
        before=_json_value(entry.before),
        after=_json_value(entry.after),
        reason=entry.reason,
        request_id=current_request_id.get(),
        prev_hash=head.hash,
    )
    event.hash = compute_hash(event=event)
    head.sequence, head.hash = event.sequence, event.hash
    return event


def _council_of(actor: Actor, council: models.Model | None) -> models.Model | None:
    if council is None and actor is not None and getattr(actor, "is_authenticated", False):
        return getattr(actor, "council", None)
    return council


def log_actions(
    *, entries: list[Entry], actor: Actor = None, council: models.Model | None = None
) -> int:
    """Append many events by one actor at once, chained in order: one insert, one lock."""
    if not entries:
        return 0
    council = _council_of(actor, council)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        events = [_chained(head, entry, actor, council) for entry in entries]
        AuditEvent.objects.bulk_create(events, batch_size=500)
        AuditChainHead.objects.filter(id=1).update(sequence=head.sequence, hash=head.hash)
    return len(events)


def log_action(
    *,
    action: str,
    actor: Actor = None,
    obj: models.Model | None = None,
    before: object = None,
    after: object = None,
    reason: str = "",
    council: models.Model | None = None,
) -> AuditEvent:
    """Append an event to the audit log, chained to the one before it."""
    council = _council_of(actor, council)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = _chained(head, Entry(action, obj, before, after, reason), actor, council)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(id=1).update(sequence=event.sequence, hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    event_id: int | None
    message: str
    intact_before: int = 0


def iter_chain_problems(*, batch_size: int = 2000) -> Iterator[ChainProblem | int]:
    """Walk the chain in order, yielding the count checked so far and any problem found."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for event in events:
        if event.sequence != expected_sequence:
            yield ChainProblem(
                expected_sequence, None, f"event #{expected_sequence} is missing", checked
            )
            return
        if event.prev_hash != expected_prev:
            yield ChainProblem(
                event.sequence, event.pk, "does not follow the event before it", checked
            )
            return
        if compute_hash(event=event) != event.hash:
            yield ChainProblem(event.sequence, event.pk, "content does not match its hash", checked)
            return
        expected_prev = event.hash
        expected_sequence += 1
        checked += 1
        if checked % batch_size == 0:
            yield checked
    head = AuditChainHead.objects.filter(id=1).first()
    head_sequence = head.sequence if head else 0
    if head_sequence != checked:
        yield ChainProblem(
            checked + 1,
            None,
            f"the log ends at #{checked} but #{head_sequence} was written",
            checked,
        )
        return
    if head is not None and head.hash != expected_prev:
        yield ChainProblem(
            checked, None, "the last event does not match the recorded head", checked - 1
        )
        return
    yield checked


def verify_chain() -> tuple[int, ChainProblem | None]:
    """Check the whole chain; return how many events were good and the first problem."""
    checked = 0
    for item in iter_chain_problems():
        if isinstance(item, ChainProblem):
            return item.intact_before, item
        checked = item
    return checked, None

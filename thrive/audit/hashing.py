"""The audit log's hashes: each event's content digested, and linked to the event before it
in its chain (see ``services`` for how events are appended, and docs/security.md)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from thrive.audit.models import AuditEvent

GENESIS_HASH = "0" * 64


def json_value(value: object) -> Any:
    """Make a value plain JSON (dates, decimals, UUIDs as text) so it hashes the same later."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record(event: AuditEvent) -> dict[str, Any]:
    """What the event records, apart from where it stands in the log."""
    return {
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
    }


def _sha256_json(content: dict[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def content_digest(*, event: AuditEvent) -> str:
    """The SHA-256 of what the event records, apart from where it stands in the log."""
    return _sha256_json(record(event))


def link_hash(*, prev_hash: str, chain: int, position: int, sequence: int, digest: str) -> str:
    """The event's hash: the previous event's hash, the event's place (chain, position,
    sequence) and its content's digest, hashed together. PostgreSQL computes the same in
    the statement that appends an event (``_APPEND_POSTGRESQL``)."""
    text = f"{prev_hash}:{chain}:{position}:{sequence}:{digest}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compute_hash(*, event: AuditEvent) -> str:
    """Return the event's hash, linking its content to the event before it in its chain."""
    return link_hash(
        prev_hash=event.prev_hash,
        chain=event.chain,
        position=event.position,
        sequence=event.sequence,
        digest=content_digest(event=event),
    )


def legacy_hash(*, event: AuditEvent) -> str:
    """The hash of an event written before events were appended in one statement: the
    SHA-256 of its content, sequence and previous hash in one document. Such events keep it
    and are checked against it."""
    return _sha256_json({**record(event), "sequence": event.sequence, "prev_hash": event.prev_hash})


def hash_matches(event: AuditEvent) -> bool:
    """Whether the event's stored hash is its own, as written now or before."""
    return compute_hash(event=event) == event.hash or legacy_hash(event=event) == event.hash

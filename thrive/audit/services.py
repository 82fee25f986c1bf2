"""Writing to the audit log and checking its hash chains."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, models, transaction
from django.utils import timezone

from thrive.audit.hashing import (
    GENESIS_HASH,
    compute_hash,
    content_digest,
    hash_matches,
    json_value,
    record,
)
from thrive.audit.models import AuditChainHead, AuditEvent
from thrive.core.request_context import current_request_id

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    Actor = AbstractBaseUser | AnonymousUser | None


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


@dataclass
class _Head:
    """The head of the chain this transaction appends to, and the sequence numbers it drew."""

    chain: int
    position: int
    hash: str
    sequences: Iterator[int]


# Which chain this thread's connection appended to last: tried first, so that a transaction
# keeps to the chain it already holds and a worker tends to keep to one chain.
_last_chain = threading.local()

# Lock the head of the chain this transaction already holds, else of any chain no other
# open transaction holds (skipping, never waiting for, those that are held), and draw
# ``count`` sequence numbers from the events' own id sequence.
_TAKE_HEAD_POSTGRESQL = """
    SELECT h.id, h.position, h.hash,
        ARRAY(SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))
              FROM generate_series(1, %s))
    FROM audit_auditchainhead h
    ORDER BY h.id <> %s, h.id
    LIMIT 1 FOR UPDATE SKIP LOCKED
"""
# SQLite lets one writer at a time into the file: one chain, numbered after the last event.
_TAKE_HEAD_SQLITE = """
    SELECT h.id, h.position, h.hash, (SELECT COALESCE(MAX(sequence), 0) FROM audit_auditevent)
    FROM audit_auditchainhead h
    ORDER BY h.id <> %s, h.id
    LIMIT 1
"""


def _select_head(count: int, chain: int) -> _Head | None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_TAKE_HEAD_POSTGRESQL, [count, chain])
            row = cursor.fetchone()
            return _Head(row[0], row[1], row[2], iter(row[3])) if row else None
        cursor.execute(_TAKE_HEAD_SQLITE, [chain])
        row = cursor.fetchone()
        if row is None:
            return None
        return _Head(row[0], row[1], row[2], iter(range(row[3] + 1, row[3] + count + 1)))


def _take_head(count: int) -> _Head:
    """Lock a chain's head until this transaction ends, never waiting for another writer:
    the chain it holds already, else any free one, else a new chain."""
    head = _select_head(count, getattr(_last_chain, "id", 1))
    if head is None:  # every chain is held by another open transaction
        head = _select_head(count, AuditChainHead.objects.create().pk)
    _last_chain.id = head.chain
    return head


def _unplaced(entry: Entry, actor: Actor, council: models.Model | None) -> AuditEvent:
    """The event as recorded, not yet given its place in a chain nor its hash."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    obj = entry.obj
    return AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if is_person else None,
        actor_label=f"user:{actor.pk}" if is_person else "system",
        council=council,
        action=entry.action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_label(obj),
        before=json_value(entry.before),
        after=json_value(entry.after),
        reason=entry.reason,
        request_id=current_request_id.get(),
    )


def _chained(head: _Head, entry: Entry, actor: Actor, council: models.Model | None) -> AuditEvent:
    """The next event of the chain after ``head``, hashed; the head moves on to it."""
    event = _unplaced(entry, actor, council)
    sequence = next(head.sequences)
    event.id = sequence if connection.vendor == "postgresql" else None
    event.sequence = sequence
    event.chain = head.chain
    event.position = head.position + 1
    event.prev_hash = head.hash
    event.hash = compute_hash(event=event)
    head.position, head.hash = event.position, event.hash
    return event


def _council_of(actor: Actor, council: models.Model | None) -> models.Model | None:
    if council is None and actor is not None and getattr(actor, "is_authenticated", False):
        return getattr(actor, "council", None)
    return council


def _append(entries: list[Entry], actor: Actor, council: models.Model | None) -> list[AuditEvent]:
    """Chain the entries, in order, onto the head this transaction holds: three queries
    (one for a single event on PostgreSQL).

    The head stays locked until the caller's transaction ends, so every event a transaction
    writes is in one chain; no savepoint, since a failed append fails the caller's change.
    """
    council = _council_of(actor, council)
    if len(entries) == 1 and connection.vendor == "postgresql":
        with transaction.atomic(savepoint=False):
            return [_append_one(entries[0], actor, council)]
    with transaction.atomic(savepoint=False):
        head = _take_head(len(entries))
        events = [_chained(head, entry, actor, council) for entry in entries]
        AuditEvent.objects.bulk_create(events, batch_size=500)
        AuditChainHead.objects.filter(id=head.chain).update(position=head.position, hash=head.hash)
    return events


# One event in one statement: take a head as ``_TAKE_HEAD_POSTGRESQL`` does, insert the
# event after it with its hash (``link_hash``) computed here, and move the head on to it.
# No row comes back when every chain is held by another open transaction.
_APPEND_POSTGRESQL = """
    WITH head AS (
        SELECT h.id, h.position, h.hash
        FROM audit_auditchainhead h
        ORDER BY h.id <> %(chain)s, h.id
        LIMIT 1 FOR UPDATE SKIP LOCKED
    ), placed AS (
        SELECT head.id AS chain, head.position + 1 AS position, head.hash AS prev_hash,
            nextval(pg_get_serial_sequence('audit_auditevent', 'id')) AS sequence
        FROM head
    ), event AS (
        INSERT INTO audit_auditevent (
            id, sequence, chain, position, occurred_at, actor_id, actor_label, council_id,
            action, object_type, object_id, object_repr, before, after, reason, request_id,
            prev_hash, hash
        )
        SELECT sequence, sequence, chain, position, %(occurred_at)s, %(actor_id)s,
            %(actor_label)s, %(council_id)s, %(action)s, %(object_type)s, %(object_id)s,
            %(object_repr)s, %(before)s::jsonb, %(after)s::jsonb, %(reason)s, %(request_id)s,
            prev_hash,
            encode(sha256(convert_to(
                prev_hash || ':' || chain || ':' || position || ':' || sequence || ':'
                || %(digest)s, 'UTF8')), 'hex')
        FROM placed
        RETURNING id, chain, position, prev_hash, hash
    ), moved AS (
        UPDATE audit_auditchainhead h SET position = event.position, hash = event.hash
        FROM event WHERE h.id = event.chain
    )
    SELECT id, chain, position, prev_hash, hash FROM event
"""


def _as_json(value: object) -> str | None:
    return None if value is None else json.dumps(value)


def _append_one(entry: Entry, actor: Actor, council: models.Model | None) -> AuditEvent:
    """Append one event in one statement (PostgreSQL), starting a chain if all are held."""
    event = _unplaced(entry, actor, council)
    params = {
        **record(event),
        "occurred_at": event.occurred_at,
        "before": _as_json(event.before),
        "after": _as_json(event.after),
        "digest": content_digest(event=event),
    }
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_POSTGRESQL, {**params, "chain": getattr(_last_chain, "id", 1)})
        row = cursor.fetchone()
        if row is None:  # every chain is held by another open transaction
            chain = AuditChainHead.objects.create().pk
            cursor.execute(_APPEND_POSTGRESQL, {**params, "chain": chain})
            row = cursor.fetchone()
    event.id, event.chain, event.position, event.prev_hash, event.hash = row
    event.sequence = event.id
    event._state.adding, event._state.db = False, connection.alias
    _last_chain.id = event.chain
    return event


def log_actions(
    *, entries: list[Entry], actor: Actor = None, council: models.Model | None = None
) -> int:
    """Append many events by one actor at once, chained in order: one insert, one lock."""
    if not entries:
        return 0
    return len(_append(entries, actor, council))


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
    """Append an event to the audit log, chained to the one before it in its chain."""
    return _append([Entry(action, obj, before, after, reason)], actor, council)[0]


@dataclass(frozen=True)
class ChainProblem:
    """The first thing found wrong: the event (if there is one) and where in which chain."""

    sequence: int | None
    event_id: int | None
    message: str
    intact_before: int = 0
    chain: int = 1
    position: int = 0

    def describe(self) -> str:
        where = f"chain {self.chain} position {self.position}"
        if self.sequence is None:
            return f"Audit chain broken at {where}: {self.message}"
        return f"Audit chain broken at event #{self.sequence} (id {self.event_id}, {where}): " + (
            self.message
        )


@dataclass
class ChainReport:
    """What a check found: events verified, each chain's length and end, the first problem."""

    checked: int = 0
    chains: dict[int, tuple[int, str]] = field(default_factory=dict)
    problem: ChainProblem | None = None


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of every chain and head, while others go on appending."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


class _Walk:
    """Checks the events one at a time, in order of chain and position, against the heads."""

    def __init__(self, report: ChainReport, heads: dict[int, tuple[int, str]]) -> None:
        self.report, self.heads = report, heads
        self.chain, self.position, self.last = 0, 0, GENESIS_HASH

    def _problem(
        self, message: str, event: AuditEvent | None = None, position: int | None = None
    ) -> ChainProblem:
        return ChainProblem(
            sequence=event.sequence if event else None,
            event_id=event.pk if event else None,
            message=message,
            intact_before=self.report.checked,
            chain=self.chain,
            position=self.position + 1 if position is None else position,
        )

    def step(self, event: AuditEvent) -> ChainProblem | None:
        if event.chain != self.chain:
            if problem := self.end():
                return problem
            self.chain, self.position, self.last = event.chain, 0, GENESIS_HASH
        if event.position != self.position + 1:
            return self._problem(f"the event there is missing (the next is #{event.sequence})")
        if event.prev_hash != self.last:
            return self._problem("does not follow the event before it in its chain", event)
        if not hash_matches(event):
            return self._problem("content does not match its hash", event)
        self.position, self.last = event.position, event.hash
        self.report.chains[self.chain] = (self.position, self.last)
        self.report.checked += 1
        return None

    def end(self) -> ChainProblem | None:
        """At the end of a chain: its last event is the one its head recorded."""
        if not self.chain:
            return None
        head = self.heads.pop(self.chain, None)
        if head is None:
            return self._problem("the chain has no recorded head", position=1)
        if head[0] != self.position:
            return self._problem(f"the chain ends at {self.position} but {head[0]} were written")
        if head[1] != self.last:
            return self._problem("the last event does not match its head", position=self.position)
        return None

    def heads_left(self) -> ChainProblem | None:
        """A head recording events of which none is left."""
        for chain, (written, _) in sorted(self.heads.items()):
            if written:
                self.chain, self.position = chain, 0
                return self._problem(f"the chain ends at 0 but {written} were written")
        return None


def iter_chain_problems(*, report: ChainReport, batch_size: int = 2000) -> Iterator[int]:
    """Walk every chain in order, yielding the count checked so far; the first problem found
    (an event altered, missing, inserted or out of place, or a chain cut short) goes in
    ``report`` and ends the walk."""
    with _snapshot():
        heads = AuditChainHead.objects.values_list("id", "position", "hash")
        walk = _Walk(report, {pk: (position, last) for pk, position, last in heads})
        events = AuditEvent.objects.order_by("chain", "position").iterator(chunk_size=batch_size)
        for event in events:
            if problem := walk.step(event):
                report.problem = problem
                return
            if report.checked % batch_size == 0:
                yield report.checked
        report.problem = walk.end() or walk.heads_left()
    yield report.checked


def verify_chain() -> tuple[int, ChainProblem | None]:
    """Check every chain; return how many events were good and the first problem."""
    report = ChainReport()
    for _ in iter_chain_problems(report=report):
        pass
    return (report.problem.intact_before if report.problem else report.checked), report.problem

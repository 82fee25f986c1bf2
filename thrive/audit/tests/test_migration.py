"""Events written before the log had several chains verify after the migration, as chain 1,
and the next event follows on from them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.db import connection

from thrive.audit.hashing import GENESIS_HASH, legacy_hash
from thrive.audit.models import AuditChainHead, AuditEvent
from thrive.audit.services import log_action, verify_chain
from thrive.testing.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0002_parallel_chains")]


def _write_old_chain(count: int) -> str:
    """Events and head as the single-chain log wrote them (its hash is the same)."""
    prev = GENESIS_HASH
    with connection.cursor() as cursor:
        for sequence in range(1, count + 1):
            event = AuditEvent(
                sequence=sequence,
                occurred_at=datetime(2026, 1, 1, 9, sequence, tzinfo=UTC),
                actor_label="system",
                action="legacy.changed",
                after={"n": sequence},
                prev_hash=prev,
            )
            prev = legacy_hash(event=event)
            cursor.execute(
                "INSERT INTO audit_auditevent (sequence, occurred_at, actor_label, action,"
                " object_type, object_id, object_repr, after, reason, request_id, prev_hash,"
                " hash) VALUES (%s, %s, 'system', 'legacy.changed', '', '', '', %s, '', '',"
                " %s, %s)",
                [sequence, event.occurred_at, json.dumps({"n": sequence}), event.prev_hash, prev],
            )
        cursor.execute(
            "INSERT INTO audit_auditchainhead (id, sequence, hash) VALUES (1, %s, %s)",
            [count, prev],
        )
    return prev


def test_the_existing_chain_verifies_after_the_migration_and_new_events_follow_it() -> None:
    migrate(BEFORE)
    try:
        last_hash = _write_old_chain(3)
    finally:
        migrate(AFTER)
    assert verify_chain() == (3, None)
    old = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.chain, e.position) for e in old] == [(1, 1), (1, 2), (1, 3)]
    new = log_action(action="after.migration")
    assert (new.chain, new.position, new.prev_hash) == (1, 4, last_hash)
    assert new.sequence > 3
    assert verify_chain() == (4, None)
    assert AuditChainHead.objects.create().pk == 2

"""On PostgreSQL, writers in open transactions append to the audit log without waiting for
one another, and the log still verifies whole."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from thrive.audit.models import AuditEvent
from thrive.audit.services import Entry, log_action, log_actions, verify_chain

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite lets one writer in at a time"
    ),
]


def _own_connection(work: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        try:
            with connection.cursor() as cursor:
                # Waiting for another writer's lock fails the test instead of hanging it.
                cursor.execute("SET lock_timeout = '3s'")
            return work()
        finally:
            connection.close()

    return run


def test_a_writer_holding_its_transaction_open_does_not_hold_up_another() -> None:
    holding = threading.Event()
    quick_committed = threading.Event()

    def slow() -> bool:
        with transaction.atomic():
            log_action(action="test.slow", reason="first, committed last")
            holding.set()
            return quick_committed.wait(timeout=15)

    def quick() -> None:
        assert holding.wait(timeout=15)
        with transaction.atomic():
            log_action(action="test.quick", reason="second, committed first")
        quick_committed.set()

    with ThreadPoolExecutor(max_workers=2) as pool:
        slow_result = pool.submit(_own_connection(slow))
        quick_result = pool.submit(_own_connection(quick))
        quick_result.result(timeout=30)
        assert slow_result.result(timeout=30), "the second writer waited for the first"
    slow_event, quick_event = AuditEvent.objects.order_by("sequence")
    assert (slow_event.action, quick_event.action) == ("test.slow", "test.quick")
    assert slow_event.chain != quick_event.chain
    assert verify_chain() == (2, None)


def test_many_writers_at_once_leave_a_whole_log_with_each_transaction_in_one_chain() -> None:
    writers, transactions = 4, 20
    start = threading.Barrier(writers, timeout=15)

    def writer(name: str) -> None:
        start.wait()
        for n in range(transactions):
            with transaction.atomic():
                log_action(action="test.first", reason=f"{name}-{n}")
                log_actions(entries=[Entry("test.more", reason=f"{name}-{n}")] * 2)

    with ThreadPoolExecutor(max_workers=writers) as pool:
        running = [pool.submit(_own_connection(lambda i=i: writer(f"w{i}"))) for i in range(4)]
        for future in running:
            future.result(timeout=120)
    assert verify_chain() == (writers * transactions * 3, None)
    by_transaction: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in AuditEvent.objects.order_by("sequence"):
        by_transaction[event.reason].append(event)
    assert len(by_transaction) == writers * transactions
    for events in by_transaction.values():
        assert [e.action for e in events] == ["test.first", "test.more", "test.more"]
        assert len({e.chain for e in events}) == 1
        assert [e.position - events[0].position for e in events] == [0, 1, 2]

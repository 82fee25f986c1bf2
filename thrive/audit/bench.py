"""Benchmarks for the audit log: events appended per second by one writer and by four at once.

Each append is made the way a request makes it: inside a transaction that stays open for a
few milliseconds more (the rest of the request's work) before it commits. Four writers at
once must not queue on one another: on PostgreSQL their rate must be at least twice one
writer's (one head row for the whole log gave 1.1 times). A single writer's rate is set by
how fast the disk commits, so its target is the CPU an append costs. SQLite lets one writer
at a time into the database file, so there only the single writer is measured.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from thrive.audit.services import log_action

WRITERS = 4
EVENTS_PER_WRITER = 200
HOLD_SECONDS = 0.005
CPU_MS_TARGET = 3.0
CONCURRENT_FACTOR = 2.0


def _append(count: int, hold: float) -> None:
    for n in range(count):
        with transaction.atomic():
            log_action(action="bench.audit.appended", after={"n": n})
            if hold:
                time.sleep(hold)


def appends_per_second(*, writers: int, events_per_writer: int, hold: float) -> float:
    """Events appended per second by ``writers`` threads, each with its own connection."""
    ready = threading.Barrier(writers + 1, timeout=60)

    def writer() -> None:
        try:
            ready.wait()
            _append(events_per_writer, hold)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=writers) as pool:
        running = [pool.submit(writer) for _ in range(writers)]
        ready.wait()
        started = time.perf_counter()
        for future in running:
            future.result()
        seconds = time.perf_counter() - started
    return writers * events_per_writer / seconds


def measure() -> list[tuple[str, str, str, bool]]:
    rows = []
    cpu = time.process_time()
    bare = appends_per_second(writers=1, events_per_writer=EVENTS_PER_WRITER, hold=0)
    cpu_ms = (time.process_time() - cpu) * 1000 / EVENTS_PER_WRITER
    rows.append(
        (
            "Audit log: one writer, one event a transaction",
            f"{bare:,.0f} events/s ({cpu_ms:.1f} ms of Python CPU each)",
            f"≤ {CPU_MS_TARGET:.0f} ms of CPU an event",
            cpu_ms <= CPU_MS_TARGET,
        )
    )
    if connection.vendor != "postgresql":
        return rows
    one = appends_per_second(writers=1, events_per_writer=EVENTS_PER_WRITER, hold=HOLD_SECONDS)
    four = appends_per_second(
        writers=WRITERS, events_per_writer=EVENTS_PER_WRITER, hold=HOLD_SECONDS
    )
    hold_ms = f"{HOLD_SECONDS * 1000:.0f} ms"
    rows.append(
        (
            f"Audit log: one writer, transaction held {hold_ms}",
            f"{one:,.0f} events/s",
            "(the base for the next row)",
            True,
        )
    )
    rows.append(
        (
            f"Audit log: {WRITERS} writers at once, each transaction held {hold_ms}",
            f"{four:,.0f} events/s ({four / one:.1f}× one writer)",
            f"≥ {CONCURRENT_FACTOR}× one writer",
            four >= CONCURRENT_FACTOR * one,
        )
    )
    return rows

"""Background work through django-tasks, and nothing left held by a worker that died.

A worker (``thrive db_worker``) claims a task by marking it running with its id. If the worker
is killed or its machine dies, the task would stay running for ever; so each worker runs a
``WorkerWatch`` beside its loop that writes its heartbeat every few seconds
(``THRIVE_TASK_HEARTBEAT_SECONDS``) and takes back the tasks of workers not heard from for
``THRIVE_TASK_STALE_AFTER`` seconds: each is queued again, or failed with a clear error once
it has been tried ``THRIVE_TASK_MAX_ATTEMPTS`` times. Any number of workers may look at once:
each takes a task back with a row lock (``SKIP LOCKED``) and a conditional update, so only
one does. Work a person would notice twice (an email) is done through ``run_once``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from thrive.core.models import DoneOnce, WorkerHeartbeat

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_HEARTBEAT_SECONDS = 5.0
DEFAULT_STALE_AFTER = 180.0
DEFAULT_MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """The worker running a task stopped answering too many times (a failed task's error)."""


def enqueue_with_transaction(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue the task as part of the current transaction when the queue is a table of the
    database (queued if and only if the transaction commits, even if the process is killed
    a moment later); with any other backend, once the transaction commits."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "THRIVE_TASK_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))


def stale_after() -> float:
    """Seconds without a heartbeat after which a worker's running tasks are taken back."""
    return float(getattr(settings, "THRIVE_TASK_STALE_AFTER", DEFAULT_STALE_AFTER))


def max_attempts() -> int:
    return int(getattr(settings, "THRIVE_TASK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def run_once(key: str, work: Callable[[], T]) -> T | None:
    """Do ``work`` unless work under ``key`` was done before; None when it was.

    The mark is written first, in the transaction that does the work: a second run waits on
    it and finds it (at the same time, too), and work that fails or a worker killed before
    the commit leaves no mark, so the next run does it. The one gap: a worker killed after
    the work (an email handed to the mail server) and before the commit does it again.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                DoneOnce.objects.create(key=key[:200])
        except IntegrityError:
            logger.info("Skipped %s: done already", key)
            return None
        return work()


# --- heartbeats ------------------------------------------------------------------------


def beat(worker_id: str, *, now: datetime | None = None) -> None:
    """Note that the worker is alive (its first beat records where it runs)."""
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"seen_at": now},
            create_defaults={
                "seen_at": now,
                "started_at": now,
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )


def forget(worker_id: str) -> None:
    """The worker stopped cleanly: it holds nothing."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class Held:
    """A running task and the worker holding it, not heard from since ``last_seen``."""

    task_id: str
    task_path: str
    worker_id: str
    attempts: int
    started_at: datetime | None
    last_seen: datetime | None


def _holder(worker_ids: list[str]) -> str:
    return worker_ids[-1] if worker_ids else ""


def heartbeats() -> dict[str, datetime]:
    """Each worker's last heartbeat (one row a worker that has not stopped cleanly)."""
    return dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))


def _silent(
    rows: list[DBTaskResult], cutoff: datetime, seen: dict[str, datetime] | None = None
) -> list[Held]:
    """Of these running tasks, those whose worker has given no sign of life since ``cutoff``.

    A worker's last sign is its latest heartbeat or, if later, when it claimed the task.
    """
    if seen is None:
        holders = {_holder(row.worker_ids) for row in rows}
        seen = dict(
            WorkerHeartbeat.objects.filter(worker_id__in=holders).values_list(
                "worker_id", "seen_at"
            )
        )
    held = []
    for row in rows:
        worker = _holder(row.worker_ids)
        signs = [moment for moment in (seen.get(worker), row.started_at) if moment is not None]
        last = max(signs) if signs else None
        if last is None or last < cutoff:
            held.append(
                Held(
                    task_id=str(row.pk),
                    task_path=row.task_path,
                    worker_id=worker,
                    attempts=len(row.worker_ids),
                    started_at=row.started_at,
                    last_seen=last,
                )
            )
    return held


def held_by_dead_workers(
    *, now: datetime | None = None, seen: dict[str, datetime] | None = None
) -> list[Held]:
    """Running tasks whose worker has not been heard from for ``THRIVE_TASK_STALE_AFTER``
    (``seen``: the heartbeats, if already read)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=stale_after())
    rows = list(  # read through the partial index of running tasks (core migration 0004)
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        .only("id", "task_path", "worker_ids", "started_at")
        .order_by()
    )
    return _silent(rows, cutoff, seen) if rows else []


@dataclass(frozen=True)
class Taken:
    requeued: list[Held]
    failed: list[Held]


def take_back(*, now: datetime | None = None) -> Taken:
    """Queue again (or fail, after ``THRIVE_TASK_MAX_ATTEMPTS``) every task held by a dead worker.

    Safe when several workers do it at once: the rows are locked with ``SKIP LOCKED`` (a task
    another is taking back is left to it), the worker's silence is checked again under the
    lock, and each update is conditional on the attempt it judged (the task still running,
    claimed at the same moment), so a task is taken back once.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stale_after())
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff - timedelta(days=1)).delete()  # long dead
    candidates = held_by_dead_workers(now=now)
    if not candidates:
        return Taken(requeued=[], failed=[])
    taken = Taken(requeued=[], failed=[])
    with transaction.atomic():
        locked = list(
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[held.task_id for held in candidates], status=TaskResultStatus.RUNNING)
            .only("id", "task_path", "worker_ids", "started_at")
            .order_by()
        )
        for held in _silent(locked, cutoff) if locked else []:
            _take(held, now=now, taken=taken)
    _log(taken)
    return taken


def _take(held: Held, *, now: datetime, taken: Taken) -> None:
    attempt = DBTaskResult.objects.filter(
        pk=held.task_id, status=TaskResultStatus.RUNNING, started_at=held.started_at
    )
    if held.attempts >= max_attempts():
        if attempt.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=(
                f"WorkerLost: the worker running this task ({held.worker_id}) stopped "
                f"answering, on each of {held.attempts} attempts; it was not tried again.\n"
            ),
        ):
            taken.failed.append(held)
    # ready from now: it goes ahead of tasks queued since, and /healthz counts its wait from now
    elif attempt.update(status=TaskResultStatus.READY, run_after=now):
        taken.requeued.append(held)


def _log(taken: Taken) -> None:
    for held in taken.requeued:
        logger.warning(
            "Task %s (%s) was held by worker %s, not heard from since %s: queued again "
            "(attempt %d of %d)",
            held.task_id,
            held.task_path,
            held.worker_id,
            held.last_seen,
            held.attempts + 1,
            max_attempts(),
        )
    for held in taken.failed:
        logger.error(
            "Task %s (%s) was held by worker %s, not heard from since %s: failed after %d "
            "attempts, each ended by a lost worker",
            held.task_id,
            held.task_path,
            held.worker_id,
            held.last_seen,
            held.attempts,
        )


class WorkerWatch(threading.Thread):
    """Beside a worker's loop: its heartbeat every few seconds, and taking back the tasks of
    workers that died. Runs while the worker runs a task too; dies with its process."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"thrive-worker-watch-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def start(self) -> None:
        try:
            beat(self.worker_id)  # seen before it can claim anything
        except DatabaseError:
            logger.warning("Worker %s could not write its heartbeat", self.worker_id, exc_info=True)
        super().start()

    def run(self) -> None:
        try:
            while not self.stopping.wait(heartbeat_seconds()):
                self.once()
        finally:
            close_old_connections()

    def once(self) -> None:
        close_old_connections()
        try:
            beat(self.worker_id)
            take_back()
        except DatabaseError:
            # the database restarting, or SQLite busy: try again at the next beat
            logger.warning("Worker %s: its watch could not reach the database", self.worker_id)
        except Exception:  # a watch that stopped would let its live task be taken
            logger.exception("Worker %s: its watch failed, and goes on", self.worker_id)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=heartbeat_seconds() + 5)
        try:
            forget(self.worker_id)
        except DatabaseError:
            logger.warning("Worker %s could not remove its heartbeat", self.worker_id)

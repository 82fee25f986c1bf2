"""What the health check reads: whether the database answers, and how the task queue is doing.

Cheap enough for a load balancer to ask every few seconds: the waiting tasks are read through
the task table's index of ready tasks, the running ones through its index of running tasks, and
the workers' last sign of life from their heartbeats (``thrive.core.tasks``) and the shared
cache, where each worker notes the time whenever it starts or finishes a task. Nothing private
is read: counts and ages only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from thrive.core.tasks import heartbeats, held_by_dead_workers

DEFAULT_MAX_QUEUE_AGE = 300
WORKER_SEEN_KEY = "thrive:health:worker-seen"


@dataclass(frozen=True)
class Queue:
    waiting: int
    oldest_seconds: float | None
    worker_seen_seconds: float | None
    held_by_dead_workers: int


def max_queue_age() -> float:
    """Seconds the oldest waiting task may wait before the service reports itself unhealthy."""
    return float(getattr(settings, "THRIVE_HEALTH_MAX_QUEUE_AGE", DEFAULT_MAX_QUEUE_AGE))


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round(max(0.0, (now - moment).total_seconds()), 1)


def task_queue() -> Queue:
    """Tasks ready to run and not started: how many, and how long the oldest has waited.

    A task is ready from its ``run_after`` (or from when it was queued, if it has none), so a
    task put off until tomorrow is not counted as waiting today.
    """
    now = timezone.now()
    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    ready = DBTaskResult.objects.ready().aggregate(waiting=Count("pk"), since=Min(ready_since))
    marked = cache.get(WORKER_SEEN_KEY)
    beats = heartbeats()
    beat = max(beats.values(), default=None)
    seen = [
        age
        for age in (
            None if marked is None else round(max(0.0, time.time() - marked), 1),
            _seconds_since(beat, now),
        )
        if age is not None
    ]
    return Queue(
        waiting=ready["waiting"],
        oldest_seconds=_seconds_since(ready["since"], now),
        worker_seen_seconds=min(seen) if seen else None,
        held_by_dead_workers=len(held_by_dead_workers(now=now, seen=beats)),
    )


NOTE_EVERY = 1.0  # seconds: a worker sending a deadline's receipts notes itself once a second
_noted_at = 0.0  # when this process last noted its worker alive


def note_worker_alive(**kwargs: Any) -> None:
    """A worker started or finished a task: its sign of life (``task_started``/``_finished``),
    written at most once a second, not twice a task."""
    global _noted_at
    now = time.time()
    if now - _noted_at < NOTE_EVERY:
        return
    cache.set(WORKER_SEEN_KEY, now, timeout=None)
    _noted_at = now


def report() -> tuple[dict[str, Any], bool]:
    """The health check's answer and whether the service is healthy.

    Unhealthy when the database does not answer, the shared cache does not answer, or the
    oldest waiting task has waited longer than ``THRIVE_HEALTH_MAX_QUEUE_AGE`` seconds (the
    worker is stopped, stuck or cannot keep up).
    """
    if not database_answers():
        return {"status": "unavailable", "database": "down"}, False
    try:
        queue = task_queue()
    except DatabaseError:
        return {"status": "unavailable", "database": "down"}, False
    except Exception:  # noqa: BLE001 - any failure of the cache's server means unhealthy
        return {"status": "unavailable", "database": "ok", "cache": "down"}, False
    limit = max_queue_age()
    late = queue.oldest_seconds is not None and queue.oldest_seconds > limit
    body = {
        "status": "unavailable" if late else "ok",
        "database": "ok",
        "cache": "ok",
        "tasks": {
            "waiting": queue.waiting,
            "oldest_waiting_seconds": queue.oldest_seconds,
            "max_waiting_seconds": limit,
            "worker_last_seen_seconds": queue.worker_seen_seconds,
            "held_by_dead_workers": queue.held_by_dead_workers,
        },
    }
    return body, not late

"""Tests of the task worker: tasks queued in the task table, run by django_tasks_db's own loop,
and a worker killed while it ran one.

Use the ``database_worker(settings, monkeypatch)`` set-up before queuing, ``run_worker(id)`` to
run every ready task, and ``killed_while_running(task_id, worker_id, minutes_ago=...)`` for a
worker that claimed a task, beat for the last time, and was killed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from thrive.core import tasks


def database_worker(settings: Any, monkeypatch: Any) -> None:
    """Queue tasks in the task table, as in production (the worker keeps the test's
    connection, which its check for broken connections would close)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(tasks, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(worker_id: str) -> None:
    """Run every ready task with a worker of this id, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


def killed_while_running(task_id: str, worker_id: str, *, minutes_ago: float) -> None:
    """``worker_id`` claimed the task, beat for the last time, then was killed."""
    then = timezone.now() - timedelta(minutes=minutes_ago)
    DBTaskResult.objects.get(pk=task_id).claim(worker_id)
    DBTaskResult.objects.filter(pk=task_id).update(started_at=then)
    tasks.beat(worker_id, now=then)


def task_status(task_id: str) -> str:
    return DBTaskResult.objects.values_list("status", flat=True).get(pk=task_id)

"""Helpers for background work through django-tasks."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue the task once the current transaction commits, so it never sees missing rows."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))

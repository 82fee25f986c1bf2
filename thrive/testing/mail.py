"""Helpers for tests of the emails about to-do items."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext


def recipients() -> list[str]:
    """Everyone emailed, sorted; each message goes to one person, who sees no one else."""
    assert all(len(message.to) == 1 for message in mail.outbox)
    return sorted(message.to[0] for message in mail.outbox)


def queries_to_run(task: Any, *args: Any) -> int:
    """How many database queries the task makes, run now with a fresh outbox."""
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as captured:
        task.call(*args)
    return len(captured.captured_queries)

"""The daily monitoring run as a task for the worker (`thrive monitoring remind` runs it by hand).

It lives apart from ``tasks.py`` because it calls the services, and the services queue the
emails in ``tasks.py``.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from thrive.monitoring.services import notices


@task()
def run_daily_notices() -> dict[str, int]:
    """The daily run: reminders before due dates and escalation of overdue returns."""
    return notices.send_due_notices(today=timezone.localdate())

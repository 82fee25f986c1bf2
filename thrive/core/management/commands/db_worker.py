"""``thrive db_worker``: django-tasks' database worker, with a heartbeat and a watch for
tasks held by workers that died (``thrive.core.tasks``).

The worker's own loop is unchanged: it takes one ready task at a time with
``SELECT … FOR UPDATE SKIP LOCKED``. Beside it a thread writes the worker's heartbeat every
``THRIVE_TASK_HEARTBEAT_SECONDS`` and queues again the tasks of workers not heard from for
``THRIVE_TASK_STALE_AFTER`` seconds. A worker that stops cleanly removes its heartbeat. It
runs at a lower CPU priority (``THRIVE_WORKER_NICE``), so the web workers beside it come
first in a rush.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from thrive.core.tasks import WorkerWatch


class Command(DatabaseWorkerCommand):
    help = (
        "Run the task worker: sends emails, makes background exports and lays out reports; "
        "takes back the tasks of workers that died."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reloading = options["reload"] and not options["batch"]
        if reloading and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # the reloader's parent runs no tasks: the child it starts has the watch
            super().handle(*args, **options)
            return
        if settings.THRIVE_WORKER_NICE > 0:
            os.nice(min(settings.THRIVE_WORKER_NICE, 19))
        watch = WorkerWatch(options["worker_id"])
        watch.start()
        try:
            super().handle(*args, **options)
        finally:
            watch.stop()

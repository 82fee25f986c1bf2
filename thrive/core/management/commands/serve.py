"""``thrive serve``: the whole service on one machine, the web server and the task worker.

Emails (receipts, password resets, alerts) are sent by the task worker, so serving pages
without it leaves them queued. Both start together and stop together: Ctrl-C or SIGTERM
stops both, and if either stops on its own the other is stopped too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess  # the service's own thrive commands  # nosec B404
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

GRACE_SECONDS = 10  # a task the worker is running may finish; then it is killed


class Command(BaseCommand):
    help = "Run the web server and the task worker together; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Where the web server listens."
        )
        parser.add_argument(
            "--noreload",
            action="store_true",
            help="Do not restart the web server and worker when the code changes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        thrive = [sys.executable, "-m", "thrive.cli"]
        web = [*thrive, "runserver", options["addrport"]]
        worker = [*thrive, "db_worker"]
        if options["noreload"]:
            web.append("--noreload")
            worker.append("--no-reload")
        commands = {"web server": web, "task worker": worker}
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
        children: dict[str, subprocess.Popen[bytes]] = {}
        try:
            for name, command in commands.items():
                # Each in a session of its own, so stopping one reaches every process it
                # started (the web server's reloader runs the server in a child).
                children[name] = subprocess.Popen(command, start_new_session=True)  # noqa: S603  # nosec B603
                self.stdout.write(f"Started the {name} (process {children[name].pid}).")
            self.stdout.flush()
            ended = _wait(children, stopping)
        finally:
            _stop_all(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if ended:
            self.stderr.write(f"The {ended} stopped, so the service was stopped.")
            sys.exit(1)
        self.stdout.write("Stopped the web server and the task worker.")


def _wait(children: dict[str, subprocess.Popen[bytes]], stopping: list[int]) -> str | None:
    """Until a stop signal (None) or one of the processes ending on its own (its name)."""
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                return name
        time.sleep(0.2)
    return None


def _stop_all(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()
        _signal_group(child, signal.SIGKILL)  # anything it left behind in its group


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has already gone
        os.killpg(child.pid, signum)

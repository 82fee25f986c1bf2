"""``thrive serve`` (what ``make run`` runs) starts the web server and the task worker and
stops both together: queued emails appear in its console, SIGTERM ends every process, and a
worker that dies takes the web server down with it rather than leave emails unsent."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

STARTUP_SECONDS = 180  # two Django processes on a busy two-core machine
SUBJECT = "Hello from the task worker"
TASK_MODULE = f'''
from django.core.mail import send_mail
from django_tasks import task


@task()
def say_hello(to):
    send_mail("{SUBJECT}", "It ran.", None, [to])
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
    except urllib.error.HTTPError:
        return True  # any answer: the server is up (only the task table is migrated)
    except OSError:
        return False
    return True


def _until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def service(tmp_path: Path):
    """A database with the task table, a task already queued that sends an email, and
    ``thrive serve`` started on a free port, its console written to a file."""
    (tmp_path / "hello_task.py").write_text(TASK_MODULE)
    env = {
        **os.environ,
        "THRIVE_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "THRIVE_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "thrive.settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("EMAIL_URL", None)
    thrive = [sys.executable, "-m", "thrive.cli"]
    subprocess.run(
        [*thrive, "migrate", "django_tasks_database", "--no-input", "-v0"],
        env=env,
        check=True,
        timeout=STARTUP_SECONDS,
    )
    enqueue = "import django; django.setup(); import hello_task; "
    enqueue += "hello_task.say_hello.enqueue('newcomer@example.com')"
    subprocess.run([sys.executable, "-c", enqueue], env=env, check=True, timeout=120)
    port = _free_port()
    console = tmp_path / "console.txt"
    with console.open("wb") as out:
        process = subprocess.Popen(
            [*thrive, "serve", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, port, console
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _started(console: Path) -> dict[str, int]:
    found = re.findall(r"Started the (.+?) \(process (\d+)\)", console.read_text())
    return {name: int(pid) for name, pid in found}


def test_serve_runs_the_worker_beside_the_web_server_and_sigterm_stops_both(service) -> None:
    process, port, console = service
    assert _until(lambda: _answers(port) and SUBJECT in console.read_text(), STARTUP_SECONDS), (
        console.read_text()
    )
    assert "To: newcomer@example.com" in console.read_text()
    children = _started(console)
    assert set(children) == {"web server", "task worker"}

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0, console.read_text()
    assert "Stopped the web server and the task worker." in console.read_text()
    assert all(_gone(pid) for pid in children.values())
    assert not _answers(port)


def test_when_the_worker_dies_the_web_server_is_stopped_too(service) -> None:
    process, port, console = service
    assert _until(lambda: _answers(port), STARTUP_SECONDS), console.read_text()
    children = _started(console)

    os.kill(children["task worker"], signal.SIGKILL)
    assert process.wait(timeout=30) == 1, console.read_text()
    assert "The task worker stopped, so the service was stopped." in console.read_text()
    assert _gone(children["web server"])
    assert not _answers(port)

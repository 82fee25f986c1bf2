"""``make loadtest``: the deadline surge on PostgreSQL, then a check of what was kept.

Makes a fresh database (``LOADTEST_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/thrive_loadtest``, dropped and made again), migrates it,
loads the demo and adds ``LOADTEST_ORGS`` (3000) organisations with a user and an API token
each and one open small grants round. Then gunicorn (4 workers, 127.0.0.1, a free port) and
the task worker (``thrive db_worker``) start, with Redis for the shared cache and rate limits
when ``redis-server`` is installed, and every organisation arrives within
``LOADTEST_SECONDS`` (60) to start, fill three sections and submit through the API (see
``loadtest_client.py``). Afterwards the database is checked: every acknowledged submission
stored exactly once, none lost, every receipt email queued once and, after the worker
drains, sent once.

``LOADTEST_FAULT=1`` adds a second run on a fresh world: one gunicorn worker is SIGKILLed
in the middle of the surge (gunicorn starts another) and the task worker is restarted; the
clients retry with their idempotency keys; the same checks. ``LOADTEST_WRITE=1`` writes
the tables into ``bench/results.md`` under "## Load test"; ``LOADTEST_JSON=FILE`` writes
the figures as JSON. ``LOADTEST_PROFILE=DIR`` profiles each web worker's CPU time
(cProfile, written to ``DIR/PID.prof`` when it stops; read it with ``pstats``), which makes
the workers about four times slower. The database is copied from a template
(``LOADTEST_TEMPLATE_URL``, by default the database's name with ``_template``) migrated and
seeded once and made again when the code's migrations change. Everything started is stopped
on exit, on Ctrl-C and after ``LOADTEST_TIMEOUT`` seconds (1800).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import loadtest_report  # noqa: E402  (bench/ is not a package)
from loadtest_processes import Processes  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/thrive_loadtest"
THRIVE = str(Path(sys.executable).with_name("thrive"))


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _recreate_database(url: str, template: str = "") -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing an unusual database name: {name!r}")
    args = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
    args += ["-U", parsed.username or "postgres"]
    copy = ["-T", template] if template else []
    # PostgreSQL's own client tools with fixed arguments and a checked database name.
    subprocess.run([_tool("dropdb"), *args, "--if-exists", "--force", name], check=True)  # noqa: S603
    subprocess.run([_tool("createdb"), *args, *copy, name], check=True)  # noqa: S603


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"The load test needs PostgreSQL's {name} on the PATH.")
    return found


def _template(url: str) -> str:
    """A database migrated and seeded with the demo, made again only when its migrations
    differ from the code's, so each run copies it instead of migrating and seeding (minutes)."""
    template_url = os.environ.get("LOADTEST_TEMPLATE_URL") or f"{url}_template"
    env = dict(os.environ, DATABASE_URL=template_url, THRIVE_ENV="development")
    if not _same_migrations(template_url) or os.environ.get("LOADTEST_FRESH") == "1":
        print("Making the load test's template database (migrate, seed the demo)", flush=True)
        _recreate_database(template_url)
        for args in (["migrate", "--no-input", "-v0"], ["seed", "--scale", "demo", "-v0"]):
            subprocess.run([THRIVE, *args], check=True, env=env)  # noqa: S603
    return urlparse(template_url).path.lstrip("/")


def _same_migrations(database_url: str) -> bool:
    import psycopg  # lazy: PostgreSQL's driver, only for the load test
    from django.db.migrations.loader import MigrationLoader  # lazy: Django is set up in main()

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    try:
        with psycopg.connect(database_url) as connection:
            applied = set(connection.execute("SELECT app, name FROM django_migrations"))
    except psycopg.Error:
        return False
    return applied == on_disk


def _server_env(url: str, stats: Path, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        THRIVE_ENV="production",
        SECRET_KEY="loadtest-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        THRIVE_SITE_URL="http://127.0.0.1",
        CONN_MAX_AGE="60",
        # The clients stand for organisations on their own networks behind one proxy.
        THRIVE_PROXY_COUNT="1",
        LOADTEST_STATS_DIR=str(stats),
        EMAIL_URL="",
        PYTHONPATH=os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]),
    )
    env.pop("DEBUG", None)
    if redis_url:
        env["CACHE_URL"] = redis_url
    else:
        env["THRIVE_ALLOW_LOCAL_CACHE"] = "1"
    return env


def _prepare(url: str, organisations: int) -> Any:
    """A fresh database with the demo, the organisations and the open round."""
    from django.db import connections  # lazy: Django is set up in main()
    from loadtest_world import build_world  # lazy: uses Django, set up in main()

    connections.close_all()  # an earlier run's session would be ended by the drop
    _recreate_database(url, template=_template(url))

    world = build_world(organisations=organisations)
    connections.close_all()
    return world


def _wait_for_receipts(deadline: float) -> None:
    from loadtest_world import receipts_waiting  # lazy: uses Django, set up in main()

    while time.monotonic() < deadline and receipts_waiting():
        time.sleep(1)


def run_once(*, url: str, organisations: int, seconds: float, fault: bool) -> dict[str, Any]:
    """One surge on a fresh world; the figures for the report."""
    from loadtest_client import surge  # lazy: imports loadtest_world, which uses Django
    from loadtest_world import check_world, transactions_committed  # lazy: as above

    world = _prepare(url, organisations)
    work = Path(tempfile.mkdtemp(prefix="thrive-loadtest-"))
    stats = work / "stats"
    stats.mkdir()
    with Processes(work) as processes:
        redis_url = processes.start_redis(_free_port())
        port = _free_port()
        env = _server_env(url, stats, redis_url)
        processes.start_web(port, env)
        processes.start_worker(env)
        processes.warm_up(port, world.applicants[0].secret)
        baseline = processes.server_figures(stats)
        commits_before = transactions_committed()
        if fault:
            processes.schedule_fault(seconds / 2, env)
        started = time.monotonic()
        tally = asyncio.run(
            surge(
                world=world,
                host="127.0.0.1",
                port=port,
                seconds=seconds,
                concurrency=_env_int("LOADTEST_CONCURRENCY", 64),
            )
        )
        elapsed = time.monotonic() - started
        commits = transactions_committed() - commits_before
        server = processes.server_figures(stats, since=baseline)
        _wait_for_receipts(time.monotonic() + _env_int("LOADTEST_DRAIN", 180))
        processes.stop_worker()
        checked = check_world(
            world=world, acknowledged=tally.acknowledged, email_log=processes.worker_log()
        )
        faults = processes.faults
    return loadtest_report.figures(
        organisations=organisations,
        seconds=seconds,
        elapsed=elapsed,
        fault=fault,
        faults=faults,
        tally=tally,
        server=server,
        checked=checked,
        commits=commits,
        redis=bool(redis_url),
    )


def main() -> int:
    url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("The load test runs on PostgreSQL: set LOADTEST_DATABASE_URL.")
    os.environ["DATABASE_URL"] = url
    # The processes started run this checkout's code, wherever the virtualenv points.
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive.settings")
    import django  # lazy: the settings read DATABASE_URL, set just above

    django.setup()
    limit = _env_int("LOADTEST_TIMEOUT", 1800)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("time is up")))
    signal.alarm(limit)
    organisations = _env_int("LOADTEST_ORGS", 3000)
    seconds = float(os.environ.get("LOADTEST_SECONDS", "60"))
    runs = [False, True] if os.environ.get("LOADTEST_FAULT") == "1" else [False]
    if os.environ.get("LOADTEST_FAULT") == "only":
        runs = [True]
    results = []
    for fault in runs:
        results.append(run_once(url=url, organisations=organisations, seconds=seconds, fault=fault))
        print(loadtest_report.table(results[-1]), flush=True)
    signal.alarm(0)
    if os.environ.get("LOADTEST_JSON"):
        Path(os.environ["LOADTEST_JSON"]).write_text(json.dumps(results, indent=2))
    if os.environ.get("LOADTEST_WRITE") == "1":
        loadtest_report.write_results(HERE / "results.md", results)
    return 0 if all(r["passed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Gunicorn settings for ``bench/loadtest.py``: each worker counts the SQL statements its
requests send (through ``connection.execute_wrapper``) and its CPU time, by step, and writes
them to ``LOADTEST_STATS_DIR/worker-PID.json`` after every request, so a worker killed
mid-surge leaves its counts so far behind."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

worker_class = "sync"
timeout = 60
graceful_timeout = 10
backlog = 4096
accesslog = None
loglevel = "warning"

_STEPS = (
    ("POST", re.compile(r"^/api/v1/applications$"), "start"),
    ("PATCH", re.compile(r"^/api/v1/applications/\d+/sections/[\w-]+$"), "save"),
    ("POST", re.compile(r"^/api/v1/applications/\d+/submit$"), "submit"),
)
_STATE: dict[str, Any] = {
    "queries": 0,
    "requests": 0,
    "steps": {},
    "backends": {},
    "cpu_start": 0.0,
    "mark": 0,
}


def _step(method: str, path: str) -> str:
    for wanted, pattern, name in _STEPS:
        if method == wanted and pattern.match(path):
            return name
    return "other"


def _count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    _STATE["queries"] += 1
    return execute(sql, params, many, context)


def post_worker_init(worker: Any) -> None:
    from django.db.backends.signals import connection_created  # lazy: Django is set up by now

    def counted(sender: Any, connection: Any, **kwargs: Any) -> None:
        if _count not in connection.execute_wrappers:
            connection.execute_wrappers.append(_count)

    connection_created.connect(counted, weak=False)
    _STATE["cpu_start"] = time.process_time()


def _database_cpu() -> None:
    """The CPU time so far of this worker's PostgreSQL session, read from /proc (the server
    is on this machine), kept by session: a session closed later keeps its last figure."""
    from django.db import connection  # lazy: Django is set up by now

    info = getattr(connection.connection, "info", None)
    pid = getattr(info, "backend_pid", None)
    if pid:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return
        ticks = os.sysconf("SC_CLK_TCK")
        _STATE["backends"][str(pid)] = (int(fields[11]) + int(fields[12])) / ticks


def pre_request(worker: Any, req: Any) -> None:
    _database_cpu()
    _STATE["mark"] = _STATE["queries"]


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    step = _step(req.method, req.path)
    requests, queries = _STATE["steps"].get(step, (0, 0))
    _STATE["steps"][step] = (requests + 1, queries + _STATE["queries"] - _STATE["mark"])
    _STATE["requests"] += 1
    _database_cpu()
    out = Path(os.environ["LOADTEST_STATS_DIR"]) / f"worker-{os.getpid()}.json"
    record = {
        "pid": os.getpid(),
        "requests": _STATE["requests"],
        "queries": _STATE["queries"],
        "steps": _STATE["steps"],
        "cpu": time.process_time() - _STATE["cpu_start"],
        "backends": _STATE["backends"],
    }
    temporary = out.with_suffix(".tmp")
    temporary.write_text(json.dumps(record))
    temporary.replace(out)

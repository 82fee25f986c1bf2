"""Gunicorn settings for ``bench/loadtest.py``: each worker counts the SQL statements its
requests send (through ``connection.execute_wrapper``) and its CPU time, by step, and writes
them to ``LOADTEST_STATS_DIR/worker-PID.bin`` after every request, so a worker killed
mid-surge leaves its counts so far behind."""

from __future__ import annotations

import mmap
import os
import re
import struct
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
# A worker's figures, as float64 values in a memory-mapped file of its own: writing them
# after every request costs a microsecond, where writing and renaming a JSON file and
# reading /proc twice took 0.4 ms of the worker's CPU time a request, which the load test
# counted as the service's. The figures
# go in two slots in turn, each between two copies of its sequence number, so a worker
# killed mid-write leaves the other slot whole.
STEPS = ("start", "save", "submit", "other")
FIELDS = ("requests", "queries", "cpu", "database_cpu", *(f"{s}_{k}" for s in STEPS for k in "nq"))
_SLOT = struct.Struct(f"<d{len(FIELDS)}dd")
_STATE: dict[str, Any] = {
    "queries": 0,
    "requests": 0,
    "steps": dict.fromkeys(STEPS, (0, 0)),
    "cpu_start": 0.0,
    "mark": 0,
    "session": None,  # (backend pid, its open /proc stat file, CPU seconds so far)
    "sessions_before": 0.0,  # CPU seconds of the sessions this worker has left
}


def read_figures(path: Path) -> dict[str, Any]:
    """A worker's figures from its file: the whole slot written last."""
    data = path.read_bytes()
    slots = [_SLOT.unpack_from(data, n * _SLOT.size) for n in range(2)]
    whole = [slot for slot in slots if slot[0] == slot[-1]]
    values = dict(zip(FIELDS, max(whole)[1:-1], strict=True))
    return {
        "requests": int(values["requests"]),
        "queries": int(values["queries"]),
        "cpu": values["cpu"],
        "database_cpu": values["database_cpu"],
        "steps": {s: [int(values[f"{s}_n"]), int(values[f"{s}_q"])] for s in STEPS},
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
    out = Path(os.environ["LOADTEST_STATS_DIR"]) / f"worker-{os.getpid()}.bin"
    with out.open("w+b") as file:
        file.truncate(2 * _SLOT.size)
        _STATE["map"] = mmap.mmap(file.fileno(), 2 * _SLOT.size)
    _STATE["cpu_start"] = time.process_time()
    if os.environ.get("LOADTEST_PROFILE"):
        import cProfile  # lazy: only when asked to profile

        _STATE["profile"] = cProfile.Profile(time.process_time)
        _STATE["profile"].enable()


def worker_exit(server: Any, worker: Any) -> None:
    """Write the worker's profile (CPU time, not waiting) to ``LOADTEST_PROFILE/PID.prof``."""
    profile = _STATE.get("profile")
    if profile is not None:
        profile.disable()
        profile.dump_stats(str(Path(os.environ["LOADTEST_PROFILE"]) / f"{os.getpid()}.prof"))


def _database_cpu() -> float:
    """The CPU time so far of this worker's PostgreSQL sessions, read from /proc (the server
    is on this machine): a session closed keeps its last figure."""
    from django.db import connection  # lazy: Django is set up by now

    info = getattr(connection.connection, "info", None)
    pid = getattr(info, "backend_pid", None)
    session = _STATE["session"]
    if session is not None and session[0] != pid:
        os.close(session[1])
        _STATE["sessions_before"] += session[2]
        session = _STATE["session"] = None
    if pid and session is None:
        try:
            session = _STATE["session"] = (pid, os.open(f"/proc/{pid}/stat", os.O_RDONLY), 0.0)
        except OSError:
            return _STATE["sessions_before"]
    if session is not None:
        try:
            fields = os.pread(session[1], 4096, 0).rsplit(b")", 1)[1].split()
        except OSError:
            return _STATE["sessions_before"] + session[2]
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        _STATE["session"] = (pid, session[1], cpu)
        return _STATE["sessions_before"] + cpu
    return _STATE["sessions_before"]


def pre_request(worker: Any, req: Any) -> None:
    _STATE["mark"] = _STATE["queries"]


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    step = _step(req.method, req.path)
    requests, queries = _STATE["steps"][step]
    _STATE["steps"][step] = (requests + 1, queries + _STATE["queries"] - _STATE["mark"])
    _STATE["requests"] += 1
    sequence = float(_STATE["requests"])
    values = [
        _STATE["requests"],
        _STATE["queries"],
        time.process_time() - _STATE["cpu_start"],
        _database_cpu(),
        *(n for s in STEPS for n in _STATE["steps"][s]),
    ]
    slot = _STATE["requests"] % 2 * _SLOT.size
    _SLOT.pack_into(_STATE["map"], slot, sequence, *map(float, values), sequence)

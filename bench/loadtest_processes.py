"""The processes a load test starts (Redis, gunicorn, the task worker), each stopped when the
test ends however it ends, and the fault: a gunicorn worker SIGKILLed mid-surge and the task
worker restarted."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from loadtest_gunicorn import read_figures

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Processes:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.started: list[subprocess.Popen] = []
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_logs: list[Path] = []
        self.faults: list[str] = []
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._timer:
            self._timer.cancel()
        for process in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _start(self, args: list[str], env: dict[str, str] | None, log: Path) -> subprocess.Popen:
        with log.open("ab") as out:
            process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        self.started.append(process)
        return process

    def start_redis(self, port: int) -> str:
        """A private Redis for the shared cache and rate limits; '' when none is installed."""
        server = shutil.which("redis-server")
        if not server or os.environ.get("LOADTEST_REDIS") == "0":
            return ""
        args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        self._start([*args, "--appendonly", "no"], None, self.work / "redis.log")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                ping = [shutil.which("redis-cli") or "redis-cli", "-p", str(port), "ping"]
                subprocess.run(ping, check=True, capture_output=True)  # noqa: S603
                return f"redis://127.0.0.1:{port}/0"
            except (subprocess.CalledProcessError, FileNotFoundError):
                time.sleep(0.2)
        raise RuntimeError("Redis did not start")

    def start_web(self, port: int, env: dict[str, str]) -> None:
        args = [str(BIN / "gunicorn"), "thrive.wsgi:application", "-c"]
        args += [str(HERE / "loadtest_gunicorn.py"), "-w", "4", "-b", f"127.0.0.1:{port}"]
        self.web = self._start(args, env, self.work / "gunicorn.log")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.web.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {self.work / 'gunicorn.log'}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/api/v1/applications")
                if connection.getresponse().status < 500 and len(_children(self.web.pid)) >= 4:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer within five minutes")

    def start_worker(self, env: dict[str, str]) -> None:
        log = self.work / f"worker-{len(self.worker_logs)}.log"
        self.worker_logs.append(log)
        args = [str(BIN / "thrive"), "db_worker", "--interval", "0.2", "--no-startup-delay"]
        self.worker = self._start(args, env, log)

    def stop_worker(self) -> None:
        if self.worker and self.worker.poll() is None:
            self.worker.send_signal(signal.SIGTERM)
            self.worker.wait(timeout=30)

    def schedule_fault(self, after: float, env: dict[str, str]) -> None:
        def strike() -> None:
            workers = _children(self.web.pid) if self.web else []
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                self.faults.append(f"gunicorn worker {workers[0]} SIGKILLed at {after:.0f} s")
            self.stop_worker()
            self.start_worker(env)
            self.faults.append(f"task worker restarted at {after:.0f} s")

        self._timer = threading.Timer(after, strike)
        self._timer.start()

    def worker_log(self) -> str:
        return "".join(log.read_text(errors="replace") for log in self.worker_logs)

    def warm_up(self, port: int, secret: str) -> None:
        """Load every web worker's code (the API's schemas are built on first use), as a
        server running before the deadline would have."""
        headers = {"Authorization": f"Bearer {secret}"}

        def read() -> None:
            for _ in range(10):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", "/api/v1/applications", headers=headers)
                connection.getresponse().read()

        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def server_figures(self, stats: Path, since: dict[str, Any] | None = None) -> dict[str, Any]:
        """Requests, SQL statements and CPU seconds of the web workers and their database
        sessions (a killed worker's counts up to its last request), less ``since``'s."""
        steps: dict[str, list[int]] = {}
        requests = queries = 0
        cpu_web = cpu_db = 0.0
        for file in stats.glob("worker-*.bin"):
            record = read_figures(file)
            requests += record["requests"]
            queries += record["queries"]
            cpu_web += record["cpu"]
            cpu_db += record["database_cpu"]
            for step, (count, statements) in record["steps"].items():
                total = steps.setdefault(step, [0, 0])
                total[0] += count
                total[1] += statements
        figures = {
            "requests": requests,
            "queries": queries,
            "steps": steps,
            "cpu_web": cpu_web,
            "cpu_db": cpu_db,
        }
        for key in ("requests", "queries", "cpu_web", "cpu_db"):
            figures[key] -= (since or {}).get(key, 0)
        for step, (count, statements) in (since or {}).get("steps", {}).items():
            figures["steps"][step][0] -= count
            figures["steps"][step][1] -= statements
        return figures

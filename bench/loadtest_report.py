"""The load test's figures, its table and its section of ``bench/results.md``.

The section is "## Load test", kept after "## Measured changes": ``bench/run.py`` rewrites
only the sections before that heading and keeps everything after it."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loadtest_client import Tally, percentile
from loadtest_world import Checked

HEADING = "## Load test"
STEPS = ("start", "save", "submit")
REQUESTS_PER_ORGANISATION = 5
P99_TARGET_MS = 1000
QUERIES_TARGET = 25


def figures(
    *,
    organisations: int,
    seconds: float,
    elapsed: float,
    fault: bool,
    faults: list[str],
    tally: Tally,
    server: dict[str, Any],
    checked: Checked,
    commits: int,
    redis: bool,
) -> dict[str, Any]:
    steps = {
        step: {
            "n": len(tally.latencies[step]),
            "p50": percentile(tally.latencies[step], 0.50),
            "p95": percentile(tally.latencies[step], 0.95),
            "p99": percentile(tally.latencies[step], 0.99),
            "queries": (
                server["steps"].get(step, [0, 0])[1] / max(1, server["steps"].get(step, [1])[0])
            ),
        }
        for step in STEPS
    }
    done = max(1, len(tally.acknowledged))
    surge_queries = sum(server["steps"].get(s, [0, 0])[1] for s in STEPS)
    per_org = surge_queries / done
    requests = max(1, server["requests"])
    p99 = max(s["p99"] for s in steps.values())
    passed = (
        checked.ok
        and tally.server_errors == 0
        and not tally.failed
        and len(tally.acknowledged) == organisations
    )
    return {
        "organisations": organisations,
        "seconds": seconds,
        "elapsed": round(elapsed, 1),
        "last_arrival": round(tally.last_arrival, 1),
        "fault": fault,
        "faults": faults,
        "steps": steps,
        "rps": round(server["requests"] / max(elapsed, 0.001), 1),
        "server_errors": tally.server_errors,
        "connection_errors": tally.connection_errors,
        "retries": tally.retries,
        "unexpected": tally.unexpected[:10],
        "failed": len(tally.failed),
        "acknowledged": len(tally.acknowledged),
        "stored": checked.stored,
        "lost": len(checked.lost),
        "duplicated": len(checked.duplicated),
        "receipts_queued": checked.receipts_queued,
        "receipts_queued_twice": checked.receipts_queued_twice,
        "receipts_missing": checked.receipts_missing,
        "receipts_done": checked.receipts_done,
        "emails_sent": checked.emails_sent,
        "emails_sent_twice": checked.emails_sent_twice,
        "queries_per_org": round(per_org, 1),
        "commits_per_org": round(commits / done, 1),
        "cpu_web_ms": round(server["cpu_web"] * 1000 / requests, 2),
        "cpu_db_ms": round(server["cpu_db"] * 1000 / requests, 2),
        "p99": p99,
        "p99_ok": p99 < P99_TARGET_MS,
        "queries_ok": per_org <= QUERIES_TARGET,
        "redis": redis,
        "passed": passed,
    }


def _arrival(result: dict[str, Any]) -> str:
    """When the last organisation arrived: arrivals are spread over the whole window, so the
    last receipt cannot come before it, and the time after it is what the service added."""
    if "last_arrival" not in result:  # figures written before it was recorded
        return ""
    return f" (the last organisation arrived at {result['last_arrival']} s)"


def table(result: dict[str, Any]) -> str:
    """The run's figures as Markdown."""
    title = "with one web worker SIGKILLed mid-surge" if result["fault"] else "surge"
    lines = [
        f"**{result['organisations']:,} organisations in {result['seconds']:.0f} s ({title})**: "
        f"{result['acknowledged']:,} receipts in {result['elapsed']} s{_arrival(result)}, "
        f"{result['rps']} requests/s; {result['server_errors']} 5xx, "
        f"{result['connection_errors']} connection errors, {result['retries']} retries, "
        f"{result['failed']} organisations gave up.",
        "",
        "| step | requests | p50 ms | p95 ms | p99 ms | SQL statements a request |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for step, s in result["steps"].items():
        lines.append(
            f"| {step} | {s['n']:,} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} "
            f"| {s['queries']:.1f} |"
        )
    lines += [
        "",
        f"- Kept: {result['stored']:,} submissions for {result['acknowledged']:,} acknowledged "
        f"receipts; lost {result['lost']}, duplicated {result['duplicated']}.",
        f"- Receipt emails: {result['receipts_queued']:,} queued once, "
        f"{result['receipts_queued_twice']} twice, {result['receipts_missing']} never; "
        f"{result['receipts_done']:,} tasks done; {result['emails_sent']:,} emails sent "
        f"({result['emails_sent_twice']} twice).",
        f"- SQL per organisation (5 requests): {result['queries_per_org']} statements sent by "
        f"the web workers (target {QUERIES_TARGET}); {result['commits_per_org']} committed "
        "transactions in the database (web and task worker).",
        f"- CPU a request: {result['cpu_web_ms']} ms in the web workers, {result['cpu_db_ms']} "
        "ms in their PostgreSQL sessions.",
    ]
    if result["faults"]:
        lines.append(f"- Faults: {'; '.join(result['faults'])}.")
    if result["unexpected"]:
        lines.append(f"- Unexpected answers (first): {result['unexpected'][:3]}")
    return "\n".join(lines) + "\n"


def _machine() -> str:
    try:
        psql = [shutil.which("psql") or "psql", "--version"]
        version = subprocess.run(psql, capture_output=True, text=True, check=False).stdout  # noqa: S603
        version = version.strip()
    except OSError:
        version = "psql not found"
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {version}"


def _worker_nice() -> int:
    """The CPU priority the task worker lowers itself by (``THRIVE_WORKER_NICE``)."""
    from django.conf import settings  # lazy: Django is set up by the load test's main()

    return settings.THRIVE_WORKER_NICE


def write_results(path: Path, results: list[dict[str, Any]]) -> None:
    """Replace the "## Load test" section of ``path`` (after "## Measured changes")."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    store = "Redis" if results[0]["redis"] else "the database"
    body = [
        HEADING,
        "",
        f"`make loadtest` on {when} ({_machine()}): gunicorn with 4 sync workers and the task "
        f"worker (at nice {_worker_nice()}) on PostgreSQL, cache and rate limits in {store}, "
        "the demo plus the surge's "
        "organisations, one open small grants round; each organisation starts, saves three "
        "sections and submits through the API, retrying 5xx and dropped connections up to "
        "three times with its idempotency key. The client keeps at most "
        "`LOADTEST_CONCURRENCY` (64) requests open at once; a latency runs from the moment "
        "its request is sent to its answer (the server's queue included, not the wait for "
        "one of those connections: the time until the last receipt shows that). CPU is the "
        "server processes' own time divided by requests.",
        "",
    ]
    body += [table(result) for result in results]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    before, found, after = text.partition(f"\n{HEADING}\n")
    rest = ""
    if found:
        _, heading, tail = after.partition("\n## ")
        rest = f"\n## {tail}" if heading else ""
    path.write_text(before.rstrip() + "\n\n" + "\n".join(body).rstrip() + "\n" + rest)

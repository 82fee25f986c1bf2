"""Benchmarks: seed a fresh database at a scale, then time the service's hot paths.

Run with ``make bench`` (``BENCH_SCALE=large make bench`` for the big data set;
``BENCH_DATABASE_URL=postgres://…/empty_db make bench`` to time PostgreSQL). Results
go to ``bench/results.md``. Each app may add cases in ``thrive/<app>/bench.py`` as
``CASES = [(name, target, callable(client_for) -> response)]``.
"""

from __future__ import annotations

import importlib
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE = os.environ.get("BENCH_SCALE", "county")
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))

workdir = Path(tempfile.mkdtemp(prefix="thrive-bench-"))
if os.environ.get("BENCH_DATABASE_URL"):  # an empty PostgreSQL database to fill and time
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
os.environ.setdefault("THRIVE_VAR_DIR", str(workdir))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
AUDIT_EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "10000"))
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from thrive.accounts.models import User  # noqa: E402


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def core_cases() -> list:
    return [
        ("Home page, anonymous", 0.2, lambda c: c(None).get("/")),
        ("Home page, commissioner", 0.2, lambda c: c("commissioner").get("/")),
        ("Health check", 0.05, lambda c: c(None).get("/healthz")),
        ("Audit log, first page", 0.3, lambda c: c("counciladmin").get("/audit/")),
        ("Staff list", 0.3, lambda c: c("counciladmin").get("/accounts/staff/")),
        ("API /me with session", 0.2, lambda c: c("provider").get("/api/v1/me")),
    ]


def app_cases() -> list:
    cases = []
    for config in apps.get_app_configs():
        if not config.name.startswith("thrive."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.bench")
        except ModuleNotFoundError:
            continue
        cases.extend(getattr(module, "CASES", []))
    return cases


def app_measures() -> list:
    """Other measurements apps make: ``measure()`` in ``thrive/<app>/bench.py``."""
    rows = []
    for config in apps.get_app_configs():
        if not config.name.startswith("thrive."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.bench")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "measure"):
            rows.extend(module.measure())
    return rows


def run_case(name: str, target, call) -> tuple:
    """Time a page; ``target`` is seconds at p95, or a function of the data giving them."""
    target = target() if callable(target) else target
    clients: dict = {}

    def cached(username):
        if username not in clients:
            clients[username] = client_for(username)
        return clients[username]

    call(cached)  # warm up
    durations = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(REPEAT):
            seconds, response = timed(lambda: call(cached))
            assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
            durations.append(seconds)
    median = statistics.median(durations)
    p95 = sorted(durations)[max(0, int(len(durations) * 0.95) - 1)]
    per_request = len(queries.captured_queries) // REPEAT
    return name, median, p95, per_request, target, "yes" if p95 <= target else "NO"


NOTES = "## Measured changes"


def write_section(path: Path, scale: str, text: str) -> None:
    """Replace this scale's section of the results, keeping the other scales' sections."""
    sections: dict[str, str] = {}
    notes = ""  # hand-written measurements of changes, kept after the sections
    if path.exists():
        existing, marker, notes = path.read_text(encoding="utf-8").partition(NOTES)
        notes = (marker + notes).rstrip()
        for chunk in existing.split("\n## Scale `")[1:]:
            name = chunk.split("`", 1)[0]
            sections[name] = "## Scale `" + chunk.strip()
    sections[scale] = text.strip()
    order = ["demo", "county", "large"]
    names = sorted(sections, key=lambda n: (order.index(n) if n in order else len(order), n))
    body = "\n\n".join(sections[name] for name in names)
    path.write_text(
        "# Benchmark results\n\nOne section a scale; `BENCH_SCALE=large make bench` "
        "replaces that scale's section only.\n\n" + body + "\n" + (f"\n{notes}\n" if notes else ""),
        encoding="utf-8",
    )


def main() -> None:
    print(f"Benchmark database: {connection.vendor}, scale {SCALE}")
    call_command("migrate", verbosity=0)
    seed_seconds, _ = timed(
        lambda: call_command("seed", "--scale", SCALE, "--random-seed", "1", verbosity=1)
    )
    from thrive.audit.models import AuditEvent
    from thrive.audit.services import log_action, verify_chain
    from thrive.organisations.models import Organisation

    organisation = Organisation.objects.first()
    append_seconds, _ = timed(
        lambda: [
            log_action(action="bench.changed", obj=organisation, after={"n": n})
            for n in range(AUDIT_EVENTS)
        ]
    )
    events = AuditEvent.objects.count()
    verify_seconds, (checked, problem) = timed(verify_chain)
    assert problem is None
    rows = [run_case(*case) for case in core_cases() + app_cases()]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    measures = app_measures()

    lines = [
        f"## Scale `{SCALE}`",
        "",
        f"On {connection.vendor}; Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; {REPEAT} requests per page after one warm-up.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| organisations | {Organisation.objects.count():,} |",
        f"| users | {User.objects.count():,} |",
        f"| seed time | {seed_seconds:.1f} s |",
        f"| audit log: append {AUDIT_EVENTS:,} events | {append_seconds:.1f} s "
        f"({AUDIT_EVENTS / append_seconds:,.0f} per second) |",
        f"| audit log: verify the chain | {checked:,} of {events:,} events in "
        f"{verify_seconds:.2f} s ({checked / max(verify_seconds, 1e-9):,.0f} per second) |",
        f"| peak memory of this process | {peak_mb:.0f} MB |",
        "",
        "| page | median | p95 | queries per request | p95 target | met |",
        "|---|---|---|---|---|---|",
    ]
    for name, median, p95, queries, target, met in rows:
        lines.append(
            f"| {name} | {median * 1000:.1f} ms | {p95 * 1000:.1f} ms | {queries} | "
            f"{target * 1000:.0f} ms | {met} |"
        )
    if measures:
        lines += ["", "| measure | result | target | met |", "|---|---|---|---|"]
        lines += [
            f"| {name} | {value} | {target} | {'yes' if met else 'NO'} |"
            for name, value, target, met in measures
        ]
    write_section(ROOT / "bench" / "results.md", SCALE, "\n".join(lines))
    print("\n".join(lines))
    if any(row[-1] == "NO" for row in rows) or not all(m[-1] for m in measures):
        sys.exit(1)


if __name__ == "__main__":
    main()

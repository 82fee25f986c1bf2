"""Benchmarks: seed a database at a scale, then time every page and the service's hot paths.

Run with ``make bench`` (``BENCH_SCALE=large make bench`` for the big data set;
``BENCH_DATABASE_URL=postgres://…/empty_db make bench`` to time PostgreSQL). Results go to
``bench/results.md``, one section a scale and database. Every GET page of the route table is
timed (``bench/pages.py``) with the objects the route tests build, made on top of the seed
and rolled back after; each app may add cases in ``thrive/<app>/bench.py`` as
``CASES = [(name, target, callable(client_for) -> response)]`` and other measures as
``measure()``.

``BENCH_PAGES_ONLY=1`` skips the audit log and the apps' slow measures; ``BENCH_REUSE_DB=1``
times the database ``BENCH_DATABASE_URL`` names as it is (no migrating or seeding), such as
a copy of a seeded one; ``BENCH_NATIONAL=1`` tops the seed up to 1,000,000 awards and imports
1,000,000 other funders' grants before timing (its own section); ``BENCH_PAGE_REPEAT``
requests a page (10), ``BENCH_REPEAT`` a hand-picked case (20); ``BENCH_PAGES=reporting:,awards:``
times only the routes whose names start so.
"""

from __future__ import annotations

import gc
import importlib
import os
import platform
import resource
import statistics
import subprocess  # the benchmark runs the thrive command itself  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE = os.environ.get("BENCH_SCALE", "county")
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
PAGES_ONLY = os.environ.get("BENCH_PAGES_ONLY") == "1"
REUSE_DB = os.environ.get("BENCH_REUSE_DB") == "1"
NATIONAL = os.environ.get("BENCH_NATIONAL") == "1"
NATIONAL_AWARDS = 1_000_000
NATIONAL_GRANTS = 1_000_000

workdir = Path(tempfile.mkdtemp(prefix="thrive-bench-"))
if os.environ.get("BENCH_DATABASE_URL"):  # a PostgreSQL database to fill (or reuse) and time
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import pages  # noqa: E402
from thrive.accounts.models import User  # noqa: E402


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def client_for(username: str | None) -> Client:
    """A client signed in as the user; one with an authenticator app (an administrator)
    starts a verified session, as signing in with a code would."""
    from django.contrib.auth.signals import user_logged_in
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from thrive.testing.two_factor import verify_marked_session, with_two_factor

    client = Client()
    if username:
        user = User.objects.get(username=username)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            user = with_two_factor(user)
        user_logged_in.connect(verify_marked_session, dispatch_uid="thrive-bench-two-factor")
        try:
            client.force_login(user)
        finally:
            user_logged_in.disconnect(dispatch_uid="thrive-bench-two-factor")
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

    def read():  # a download is timed to its last byte
        response = call(cached)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    read()  # warm up
    durations = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(REPEAT):
            seconds, response = timed(read)
            if response.status_code != 200:
                return name, seconds, seconds, 0, target, f"NO: HTTP {response.status_code}"
            durations.append(seconds)
    median = statistics.median(durations)
    p95 = sorted(durations)[max(0, int(len(durations) * 0.95) - 1)]
    per_request = len(queries.captured_queries) // REPEAT
    return name, median, p95, per_request, target, "yes" if p95 <= target else "NO"


def time_cases(cases: list) -> list[tuple]:
    """The hand-picked cases, with what the process holds by then kept out of the collector's
    full passes, as the page table (and a web worker after start-up) times them."""
    gc.collect()
    gc.freeze()
    try:
        return [run_case(*case) for case in cases]
    finally:
        gc.unfreeze()


NOTES = "## Measured changes"
SCALES = ["demo", "county", "large"]


def _section_order(key: str) -> tuple:
    scale, _, database = key.partition(", ")
    base = scale.split(" ")[0]
    return (SCALES.index(base) if base in SCALES else len(SCALES), scale, database)


def write_section(path: Path, key: str, text: str) -> None:
    """Replace one scale and database's section (``large, postgresql``), keeping the others.

    Sections written before the key named the database were all measured on SQLite."""
    sections: dict[str, str] = {}
    notes = ""  # hand-written measurements of changes, kept after the sections
    if path.exists():
        existing, marker, notes = path.read_text(encoding="utf-8").partition(NOTES)
        notes = (marker + notes).rstrip()
        for chunk in existing.split("\n## Scale `")[1:]:
            name, _, rest = chunk.partition("`")
            name = name if ", " in name else f"{name}, sqlite"
            sections[name] = f"## Scale `{name}`{rest}".strip()
    sections[key] = text.strip()
    body = "\n\n".join(sections[name] for name in sorted(sections, key=_section_order))
    path.write_text(
        "# Benchmark results\n\nOne section a scale and database; `BENCH_SCALE=large make bench` "
        "replaces that scale's section for the database it ran on only.\n\n"
        + body
        + "\n"
        + (f"\n{notes}\n" if notes else ""),
        encoding="utf-8",
    )


def top_up_national() -> None:
    """National scale: the first council's grants copied up to 1,000,000 awards, and
    1,000,000 grants of another funder imported through the real import."""
    from thrive.accounts.models import Council
    from thrive.opendata.bench import _make_awards, _write_import_sample

    _make_awards(Council.objects.order_by("pk").first(), NATIONAL_AWARDS)
    connection.close()
    thrive = str(Path(sys.executable).parent / "thrive")
    exported, other = workdir / "national.json", workdir / "national-other.json"
    for args in (
        ["export", "360giving", "--output", str(exported)],
        ["import", "-v", "0", "360giving", str(other)],
    ):
        if args[0] == "import":
            _write_import_sample(exported, other, NATIONAL_GRANTS)
        subprocess.run([thrive, *args], check=True)  # noqa: S603 - our own command  # nosec B603
    exported.unlink()
    other.unlink()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")  # as autovacuum would have, in time


def prepare_database() -> str:
    """Migrate and seed (and top up), unless reusing a database; the seed's time."""
    if REUSE_DB:
        return "not seeded here (an existing database, `BENCH_REUSE_DB=1`)"
    call_command("migrate", verbosity=0)
    seconds, _ = timed(
        lambda: call_command("seed", "--scale", SCALE, "--random-seed", "1", verbosity=1)
    )
    if NATIONAL:
        top_up = timed(top_up_national)[0]
        return f"{seconds:.1f} s, then {top_up:.0f} s to reach national scale"
    return f"{seconds:.1f} s"


def audit_rows() -> list[str]:
    """Append events to the audit log and verify its chain."""
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
    return [
        f"| audit log: append {AUDIT_EVENTS:,} events | {append_seconds:.1f} s "
        f"({AUDIT_EVENTS / append_seconds:,.0f} per second) |",
        f"| audit log: verify the chain | {checked:,} of {events:,} events in "
        f"{verify_seconds:.2f} s ({checked / max(verify_seconds, 1e-9):,.0f} per second) |",
    ]


def time_every_page() -> tuple[list, float]:
    """Every route's page, with the route tests' objects made on the seed and rolled back."""
    with transaction.atomic():
        world_seconds, world = timed(pages.make_world_on_seed)
        rows = pages.time_pages(world, progress=True)
        transaction.set_rollback(True)
    return rows, world_seconds


def page_section(rows: list, world_seconds: float) -> list[str]:
    measured = [row for row in rows if row.p95 is not None]
    missed = [row for row in rows if row.status is not None and not row.met]
    return [
        "",
        f"### Every page ({len({row.name for row in rows})} routes, {len(rows)} rows"
        + (f"; only routes named {', '.join(pages.ONLY)}…" if pages.ONLY else "")
        + ")",
        "",
        f"Each page as its first allowed outside user and first allowed member of staff, "
        f"with the objects the route tests make ({world_seconds:.1f} s to make, on top of the "
        f"seed, rolled back after): one warm-up, then {pages.PAGE_REPEAT} requests; server "
        "time through the test client, downloads read to the end. Queries: the most one "
        "request made. SQL time: one request's SELECTs re-run under `EXPLAIN (ANALYZE)`, "
        "execution time summed (PostgreSQL only); ratio: median server time over it. "
        f"{len(measured)} rows timed, {len(missed)} missing a target.",
        "",
        *pages.table_lines(rows),
    ]


def header(seeded: str) -> list[str]:
    from thrive.awards.models import Award
    from thrive.organisations.models import Organisation

    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return [
        f"## Scale `{section_key()}`",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on "
        f"{connection.vendor}; Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average at the end {load}; {REPEAT} requests per hand-picked page after one "
        "warm-up.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| organisations | {Organisation.objects.count():,} |",
        f"| awards | {Award.objects.count():,} |",
        f"| users | {User.objects.count():,} |",
        f"| seed time | {seeded} |",
    ]


def section_key() -> str:
    only = f", only {'/'.join(pages.ONLY)}" if pages.ONLY else ""
    return f"{SCALE}{' + national' if NATIONAL else ''}, {connection.vendor}{only}"


def case_lines(rows: list) -> list[str]:
    lines = [
        "",
        "### Hand-picked pages",
        "",
        "| page | median | p95 | queries per request | p95 target | met |",
        "|---|---|---|---|---|---|",
    ]
    for name, median, p95, queries, target, met in rows:
        lines.append(
            f"| {name} | {median * 1000:.1f} ms | {p95 * 1000:.1f} ms | {queries} | "
            f"{target * 1000:.0f} ms | {met} |"
        )
    return lines


def main() -> None:
    print(f"Benchmark database: {connection.vendor}, scale {SCALE}")
    seeded = prepare_database()
    audit = [] if PAGES_ONLY else audit_rows()
    page_rows, world_seconds = time_every_page()
    rows = time_cases(core_cases() + app_cases())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    measures = [] if PAGES_ONLY else app_measures()

    lines = header(seeded) + audit + [f"| peak memory of this process | {peak_mb:.0f} MB |"]
    lines += page_section(page_rows, world_seconds)
    lines += case_lines(rows)
    if measures:
        lines += ["", "| measure | result | target | met |", "|---|---|---|---|"]
        lines += [
            f"| {name} | {value} | {target} | {'yes' if met else 'NO'} |"
            for name, value, target, met in measures
        ]
    write_section(ROOT / "bench" / "results.md", section_key(), "\n".join(lines))
    print("\n".join(lines))
    missed = [row for row in page_rows if row.status is not None and not row.met]
    if missed or any(row[-1].startswith("NO") for row in rows) or not all(m[-1] for m in measures):
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Time every GET page the route table declares, so a page added later is timed unlisted.

Each route of ``all_expectations()`` is requested with the objects ``make_world()`` built
(on top of whatever the database already holds, such as a seed) as the first outside user
and the first member of staff given the page (as ``test_every_page_accessible`` picks them):
one warm-up, then ``repeat`` requests. A row keeps the median and p95 server time, the
queries a request makes and, on PostgreSQL, the summed ``EXPLAIN (ANALYZE)`` execution time
of one request's SELECTs, so the framework's share shows beside the database's. Downloads
are timed with their content read. A route nobody may GET, or a viewer refused, still has a
row saying so.
"""

from __future__ import annotations

import gc
import importlib
import json
import math
import os
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import factory
from django.apps import apps
from django.contrib.auth.signals import user_logged_in
from django.db import connection, transaction
from django.test import Client, TestCase
from django.urls import reverse

from thrive.testing.routes import ACTORS, ANONYMOUS, STAFF_ROLES, all_expectations, make_world
from thrive.testing.two_factor import verify_marked_session

PAGE_REPEAT = int(os.environ.get("BENCH_PAGE_REPEAT", "10"))
MAX_QUERIES = 20
FACTORY_SEQUENCE_START = 5_000
# A slow page gets fewer requests (never under MIN_REPEAT) once it has taken PAGE_SECONDS.
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "20"))
MIN_REPEAT = 3
# Only the routes whose names start with one of these (comma-separated), to time a few again.
ONLY = tuple(filter(None, os.environ.get("BENCH_PAGES", "").split(",")))
EXPLAIN_LIMIT = 200  # SELECTs re-run under EXPLAIN a request; more are scaled from these
PAGE_TARGET = 0.2
DASHBOARD_TARGET = 0.3
PDF_TARGET = 2.0
SEARCH_TARGET = 0.1
EXPORT_ROWS_PER_SECOND = 30_000
DASHBOARDS = {"reporting:dashboard", "reporting:annual"}
SEARCHES = {"organisations:list", "organisations:find"}
# Query strings timed beside the bare page: the register's search.
VARIANTS = {"organisations:list": ["?q=food"], "organisations:find": ["?q=food"]}
# Statements a transaction around the timing adds, not the page.
_NOT_THE_PAGE = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@dataclass
class PageRow:
    """One page as one user: its times (seconds), queries and target."""

    name: str
    actor: str
    kind: str
    url: str = ""
    status: int | None = None
    content_type: str = ""
    durations: list[float] = field(default_factory=list)
    queries: int | None = None
    sql_seconds: float | None = None
    target: float = PAGE_TARGET
    note: str = ""

    @property
    def label(self) -> str:
        query = self.url.partition("?")[2]
        return f"{self.name}{' ?' + query if query else ''} ({self.kind}: {self.actor})"

    @property
    def median(self) -> float | None:
        return statistics.median(self.durations) if self.durations else None

    @property
    def p95(self) -> float | None:
        if not self.durations:
            return None
        ordered = sorted(self.durations)
        return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.sql_seconds:
            return None
        return self.median / self.sql_seconds

    @property
    def met(self) -> bool:
        return (
            self.status == 200
            and self.p95 is not None
            and self.p95 <= self.target
            and (self.queries or 0) <= MAX_QUERIES
        )


def viewers(expect: Any) -> list[tuple[str, str]]:
    """The first outside (anonymous or provider) actor and the first staff actor given a page."""
    allowed = [actor for actor in ACTORS if expect.status_for(actor) == 200]
    outside = [("outside", a) for a in allowed if a not in STAFF_ROLES][:1]
    staff = [("staff", a) for a in allowed if a in STAFF_ROLES][:1]
    return outside + staff


def target_for(name: str, content_type: str, body: bytes) -> float:
    """The p95 target in seconds: dashboards, PDFs, the register's search, exports by rows."""
    if content_type.startswith("application/pdf"):
        return PDF_TARGET
    if name in DASHBOARDS:
        return DASHBOARD_TARGET
    if name in SEARCHES:
        return SEARCH_TARGET
    if content_type.startswith("text/csv"):
        rows = max(0, body.count(b"\n") - 1)
        return max(PAGE_TARGET, rows / EXPORT_ROWS_PER_SECOND)
    return PAGE_TARGET


class _Recorder:
    """Every statement a request runs, through the connection's execute wrapper (no debug
    cursor, so recording costs the page nearly nothing and there is no cap on the count)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, bool]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not sql.startswith(_NOT_THE_PAGE):
            self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def _request(client: Client, url: str) -> tuple[float, Any, bytes, list]:
    """One GET with its body read (streamed downloads too): seconds, response, body, queries."""
    recorder = _Recorder()
    with connection.execute_wrapper(recorder):
        start = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seconds = time.perf_counter() - start
    return seconds, response, body, recorder.statements


def explain_seconds(statements: list) -> tuple[float | None, str]:
    """Summed ``EXPLAIN (ANALYZE)`` execution time of the SELECTs (PostgreSQL only), and a
    note when some could not be re-run or only the first ``EXPLAIN_LIMIT`` were."""
    if connection.vendor != "postgresql":
        return None, ""
    selects = [
        (sql, params)
        for sql, params, many in statements
        if not many and sql.lstrip().upper().startswith("SELECT")
    ]
    total, failed = 0.0, 0
    for sql, params in selects[:EXPLAIN_LIMIT]:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0]
        except Exception:  # noqa: BLE001 - counted and said beside the row
            failed += 1
            continue
        plan = json.loads(plan) if isinstance(plan, str) else plan
        total += plan[0]["Execution Time"] / 1000
    notes = [f"{failed} SELECTs not re-run under EXPLAIN"] if failed else []
    if len(selects) > EXPLAIN_LIMIT:
        total *= len(selects) / EXPLAIN_LIMIT
        notes.append(f"SQL time scaled from the first {EXPLAIN_LIMIT} of {len(selects)} SELECTs")
    return total, "; ".join(notes)


def _time(row: PageRow, client: Client, repeat: int, warm_up: bool) -> None:
    seconds, response, body, last = _request(client, row.url)
    row.status = response.status_code
    row.content_type = response.get("Content-Type", "")
    row.target = target_for(row.name, row.content_type, body)
    if row.status != 200:
        row.note = f"HTTP {row.status} for this user"
        return
    if not warm_up:  # the first request counts
        row.durations.append(seconds)
        row.queries = len(last)
    while len(row.durations) < repeat and (
        len(row.durations) < MIN_REPEAT or sum(row.durations) < PAGE_SECONDS
    ):
        seconds, response, _, last = _request(client, row.url)
        row.durations.append(seconds)
        row.queries = max(row.queries or 0, len(last))
    row.sql_seconds, row.note = explain_seconds(last)
    if len(row.durations) < repeat:
        row.note = "; ".join(filter(None, [f"{len(row.durations)} requests", row.note]))


def _clients(world: Any) -> dict[str, Client]:
    clients = {}
    for actor, user in world.users.items():
        client = Client()
        if actor != ANONYMOUS and user is not None:
            client.force_login(user)
        clients[actor] = client
    return clients


def _urls(name: str, expect: Any, world: Any) -> list[str]:
    url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
    return [url] + [url + query for query in VARIANTS.get(name, [])]


def time_pages(
    world: Any, *, repeat: int = PAGE_REPEAT, warm_up: bool = True, progress: bool = False
) -> list[PageRow]:
    """A row for every route of the table and each of its viewers, timed against ``world``:
    a warm-up request (unless ``warm_up`` is false), then ``repeat`` timed ones."""
    user_logged_in.connect(verify_marked_session, dispatch_uid="thrive-bench-two-factor")
    try:
        clients = _clients(world)
    finally:
        user_logged_in.disconnect(dispatch_uid="thrive-bench-two-factor")
    # What the process holds by now (the route table, the test world, the clients) is kept
    # out of the collector's full passes, as a web worker's start-up is (``thrive/wsgi.py``),
    # and let back in afterwards.
    gc.collect()
    gc.freeze()
    try:
        return _time_every_page(world, clients, repeat=repeat, warm_up=warm_up, progress=progress)
    finally:
        gc.unfreeze()


def _time_every_page(
    world: Any, clients: dict[str, Client], *, repeat: int, warm_up: bool, progress: bool
) -> list[PageRow]:
    rows = []
    for name, expect in sorted(all_expectations().items()):
        if ONLY and not name.startswith(ONLY):
            continue
        who = viewers(expect)
        if not who:
            rows.append(PageRow(name, "nobody", "-", note="no user may GET it (POST only)"))
            continue
        for url in _urls(name, expect, world):
            for kind, actor in who:
                row = PageRow(name, actor, kind, url)
                try:
                    with transaction.atomic():  # whatever the page writes is undone
                        _time(row, clients[actor], repeat, warm_up)
                        transaction.set_rollback(True)
                except Exception as error:  # noqa: BLE001 - a failing page is a row, not a stop
                    row.status = 500
                    row.note = f"{type(error).__name__}: {error}"[:120].replace("|", "/")
                rows.append(row)
                if progress:
                    print(f"{row.label}: {_ms(row.p95)} p95, {row.queries} queries", flush=True)
    return rows


def make_world_on_seed(first: int = FACTORY_SEQUENCE_START) -> Any:
    """``make_world()`` on a seeded database: the test factories' numbered names and
    references start at ``first``, past the seed's own (which start at 1, like theirs)."""
    for config in apps.get_app_configs():
        if config.name.startswith("thrive."):
            try:
                importlib.import_module(f"{config.name}.tests.factories")
            except ModuleNotFoundError:
                continue
    pending = list(factory.base.Factory.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls._meta.model is not None and not cls._meta.abstract:
            cls.reset_sequence(first, force=True)
    # Run what the world's records queue for their commit, as a commit would (and clear it),
    # so that the pages do not see changes waiting in this transaction (kept report figures
    # are neither kept nor served while a change to them is pending).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make_world()


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.1f} ms"


def _sort_key(row: PageRow) -> tuple:
    return (row.p95 is None, -(row.p95 or 0), row.name)


def table_lines(rows: list[PageRow]) -> list[str]:
    """The rows as a Markdown table, slowest p95 first; unmeasured rows last."""
    lines = [
        "| page (user) | median | p95 | queries | SQL time | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in sorted(rows, key=_sort_key):
        ratio = "—" if row.ratio is None else f"{row.ratio:,.1f}×"
        queries = "—" if row.queries is None else str(row.queries)
        target = f"{row.target * 1000:,.0f} ms, ≤ {MAX_QUERIES} queries"
        met = ("yes" if row.met else "NO") + (f": {row.note}" if row.note else "")
        if row.status is None:
            met = row.note
        lines.append(
            f"| `{row.label}` | {_ms(row.median)} | {_ms(row.p95)} | {queries} | "
            f"{_ms(row.sql_seconds)} | {ratio} | {target} | {met} |"
        )
    return lines

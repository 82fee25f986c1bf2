"""Benchmark: every registered export in CSV, XLSX and ODS, in rows a second.

Target: an export of every row of any table writes at least 30,000 rows a second, each
format stated on its own. Each export is built as the first seeded member of staff allowed
it, with no filters (so every row they may see), and written to a file exactly as the task
worker writes a background export; "reading alone" is the same rows read without writing,
so the writer's share shows. The writers are also timed alone on 100,000 made-up rows of
thirteen columns (text, numbers, dates), and one export is run the whole way a person meets
it: asked for over the inline limit, made by the task, its page and download answered.
``BENCH_EXPORT_FORMATS=csv,xlsx`` narrows the formats.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from thrive.core import export_jobs, export_registry
from thrive.core.exports import write_export
from thrive.core.models import ExportJob

TARGET = 30_000
FORMATS = os.environ.get("BENCH_EXPORT_FORMATS", "csv,xlsx,ods").split(",")
STAFF = ("strategy", "counciladmin", "commissioner", "finance", "procurement", "sysadmin")
SYNTHETIC_ROWS = 100_000


def _user_for(export: export_registry.Export) -> tuple[Any, export_registry.Table] | None:
    """The first seeded member of staff allowed the export, and their unfiltered table."""
    # lazy: the user model exists only once the app registry is ready (bench imports early)
    from django.contrib.auth import get_user_model

    for username in STAFF:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            continue
        try:
            return user, export_jobs.build_table(export, user, QueryDict())
        except PermissionDenied:
            continue
    return None


def _write(table: export_registry.Table, fmt: str) -> tuple[int, float, float, int]:
    """Rows written, wall seconds, CPU seconds and bytes, writing to a temporary file."""
    with tempfile.TemporaryFile() as out:
        start, cpu = time.perf_counter(), time.process_time()
        count = write_export(
            out, headers=table.headers, rows=table.rows, fmt=fmt, title=table.title
        )
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        return count, wall, cpu, out.tell()


def _row(name: str, count: int, wall: float, cpu: float, size: int, extra: str = "") -> tuple:
    rate = count / wall if wall else 0
    value = (
        f"{wall:.2f} s, {rate:,.0f} rows/s (CPU {count / cpu if cpu else 0:,.0f} rows/s), "
        f"{size / 1e6:.1f} MB{extra}"
    )
    return (name, value, f"≥ {TARGET:,} rows/s", rate >= TARGET)


def _synthetic_rows() -> list[list[Any]]:
    day = dt.date(2025, 4, 1)
    return [
        [
            n,
            f"Organisation number {n} Community Interest Company",
            "Adult Social Care",
            day,
            day + dt.timedelta(days=364),
            "Submitted",
            "2025-04-02 10:00",
            "Green" if n % 3 else "=Amber",
            "On track with every milestone",
            123_456 + n,
            n % 40,
            n % 700,
            n * 1.5,
        ]
        for n in range(SYNTHETIC_ROWS)
    ]


def measure_writers() -> list[tuple]:
    """The writers alone on made-up rows, so their speed shows apart from any query."""
    rows = _synthetic_rows()
    table = export_registry.Table(
        title="Synthetic", headers=[f"Column {i}" for i in range(13)], rows=rows, filename="x"
    )
    found = []
    for fmt in FORMATS:
        count, wall, cpu, size = _write(table, fmt)
        name = f"Export writer alone, {count:,} rows × 13 columns, {fmt.upper()}"
        found.append(_row(name, count, wall, cpu, size))
    return found


def _service_exports() -> list[str]:
    """The registered exports but the tests' own samples, which the route table's world
    registers when the page benchmark builds it."""
    keys = export_registry.registered()
    return [key for key in keys if ".tests." not in export_registry.get(key).build_path]


def measure_registered() -> list[tuple]:
    """Every registered export, every row its first allowed member of staff may see."""
    found = []
    for key in _service_exports():
        export = export_registry.get(key)
        allowed = _user_for(export)
        if allowed is None:
            continue
        user, table = allowed
        start = time.perf_counter()
        total = sum(1 for _ in table.rows)
        reading = time.perf_counter() - start
        if not total:
            continue
        for fmt in FORMATS:
            table = export_jobs.build_table(export, user, QueryDict())
            count, wall, cpu, size = _write(table, fmt)
            name = f"Export {key}, {count:,} rows, {fmt.upper()}, as {user.username}"
            found.append(_row(name, count, wall, cpu, size, f"; reading alone {reading:.2f} s"))
    return found


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def measure_background() -> list[tuple]:
    """The largest registered export the whole way: asked for, queued, made, shown, fetched."""
    candidates = []
    for key in _service_exports():
        allowed = _user_for(export_registry.get(key))
        if allowed is not None and allowed[1].count is not None:
            candidates.append((allowed[1].count(), key, allowed[0]))
    if not candidates:
        return []
    count, key, user = max(candidates, key=lambda found: found[0])
    request = RequestFactory().get("/", {"format": "csv"})
    request.user = user
    with override_settings(THRIVE_EXPORT_INLINE_ROWS=min(count - 1, 50_000)):
        export_jobs.respond(request, key)  # warm up: the first call imports the task backend
        ExportJob.objects.filter(user=user).delete()
        asked, response = _timed(lambda: export_jobs.respond(request, key))
    job = ExportJob.objects.filter(user=user).order_by("-pk").first()
    if response.status_code != 302 or job is None:
        return [(f"Background export of {key}", f"HTTP {response.status_code}", "302", False)]
    made, _ = _timed(lambda: export_jobs.build_export(job_id=job.pk))
    client = Client()
    client.force_login(user)
    client.get(reverse("core:exports"))  # warm up the session and templates
    shown, page = _timed(lambda: client.get(reverse("core:export", kwargs={"job_id": job.pk})))
    url = reverse("core:export_download", kwargs={"job_id": job.pk})
    fetched, download = _timed(lambda: b"".join(client.get(url).streaming_content))
    job.refresh_from_db()
    job.file.delete(save=False)
    job.delete()
    rate = (job.row_count or 0) / made
    return [
        (
            f"Background export of {key}, {job.row_count:,} rows, CSV, as {user.username}",
            f"asked {asked * 1000:.0f} ms, made {made:.1f} s ({rate:,.0f} rows/s), ready page "
            f"{shown * 1000:.0f} ms (HTTP {page.status_code}), download {fetched:.2f} s "
            f"({len(download) / 1e6:.1f} MB)",
            f"≥ {TARGET:,} rows/s; pages ≤ 200 ms",
            rate >= TARGET and shown < 0.2 and asked < 0.2 and page.status_code == 200,
        )
    ]


def measure() -> list[tuple]:
    return measure_writers() + measure_registered() + measure_background()

"""Benchmarks for open data: export a million grants and import them back (issue targets).

Targets: export at 20,000 grants a second or more in under 300 MB; import at 5,000 or more.
Each runs in a child process so that its own peak memory is measured.
"""

from __future__ import annotations

import os
import subprocess  # the benchmark runs the thrive command itself  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from tqdm import tqdm

GRANTS = int(os.environ.get("BENCH_GRANTS", "1000000"))
IMPORT_GRANTS = int(os.environ.get("BENCH_IMPORT_GRANTS", "200000"))


def _make_awards(council, count: int) -> None:
    """Copy the council's published grants until it has ``count`` of them."""
    from thrive.awards.models import Award
    from thrive.opendata.publishing import grant_awards

    base = list(grant_awards(council)[:500])
    existing = grant_awards(council).count()
    batch = []
    for index in tqdm(range(max(0, count - existing)), desc="Awards for the export", unit="row"):
        award = base[index % len(base)]
        batch.append(
            Award(
                organisation_id=award.organisation_id,
                council_id=award.council_id,
                directorate_id=award.directorate_id,
                kind=award.kind,
                title=award.title,
                amount_pence=award.amount_pence + index,
                start_date=award.start_date,
                end_date=award.end_date,
                status=award.status,
                created_at=award.created_at,
            )
        )
        if len(batch) == 20000:
            Award.objects.bulk_create(batch)
            batch = []
    Award.objects.bulk_create(batch)


# Run the command and report the child's own high-water mark of resident memory. VmHWM
# belongs to the process's memory after exec; getrusage would also count the parent's pages
# the child briefly shared before exec, so it reports the parent's peak instead.
_PEAK_RUNNER = """
import atexit, sys
def _peak():
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    sys.stderr.write(f"PEAK-KB {kb}\\n")
atexit.register(_peak)
from thrive.cli import main
sys.argv[0] = "thrive"
main()
"""


def _child(*args: str) -> tuple[float, float, str]:
    """Run ``thrive`` in a child process; return seconds, its peak MB and its output."""
    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]}
    start = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own command with our own arguments  # nosec B603
        [sys.executable, "-c", _PEAK_RUNNER, *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - start
    peaks = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("PEAK-KB")]
    return seconds, int(peaks[-1]) / 1024, result.stdout


def measure() -> list[tuple[str, str, str, bool]]:
    from thrive.accounts.models import Council
    from thrive.opendata.publishing import grant_awards

    council = Council.objects.order_by("pk").first()
    from thrive.opendata.bench_flat import measure_xlsx_export

    xlsx_rows = measure_xlsx_export(council)  # before the council has a million grants
    _make_awards(council, GRANTS)
    connection.close()
    count = grant_awards(council).count()
    folder = Path(tempfile.mkdtemp(prefix="thrive-bench-opendata-"))
    exported = folder / "grants.json"
    seconds, peak, _ = _child("export", "360giving", "--output", str(exported))
    export_rate = count / seconds
    rows = [
        (
            f"360Giving export of {count:,} grants (JSON, child process)",
            f"{seconds:.1f} s, {export_rate:,.0f} grants/s, peak {peak:.0f} MB",
            "≥ 20,000 grants/s and < 300 MB",
            export_rate >= 20000 and peak < 300,
        ),
    ]
    sample = folder / "other-funder.json"
    _write_import_sample(exported, sample, IMPORT_GRANTS)
    seconds, peak, _ = _child("import", "-v", "0", "360giving", str(sample))
    rate = IMPORT_GRANTS / seconds
    rows.append(
        (
            f"360Giving import of {IMPORT_GRANTS:,} grants (child process)",
            f"{seconds:.1f} s, {rate:,.0f} grants/s, peak {peak:.0f} MB",
            "≥ 5,000 grants/s",
            rate >= 5000,
        )
    )
    rows += xlsx_rows
    return rows


def _write_import_sample(exported: Path, sample: Path, count: int) -> None:
    """Another funder's file: our grants re-identified under a different funder."""
    import ijson
    import orjson

    with exported.open("rb") as source, sample.open("wb") as out:
        out.write(b'{"grants": [')
        for index, grant in enumerate(ijson.items(source, "grants.item", use_float=True)):
            if index == count:
                break
            grant["id"] = f"360G-otherfunder-{index}"
            grant["fundingOrganization"] = [{"id": "GB-CHC-1000001", "name": "Other Trust"}]
            out.write((b"," if index else b"") + orjson.dumps(grant))
        out.write(b"]}")


__all__ = ["measure", "settings"]

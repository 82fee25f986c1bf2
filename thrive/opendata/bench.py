"""Benchmarks for open data: export a million grants and import them back (issue targets).

Targets: export at 20,000 grants a second or more in under 300 MB; import at 5,000 or more,
also of a file in which every grant has something wrong with it (every problem kept);
``thrive import`` ready in under a second. The export and the clean import run in a child
process so that their own peak memory is measured; the faulty imports run in process.
"""

from __future__ import annotations

import compileall
import csv
import os
import resource
import subprocess  # the benchmark runs the thrive command itself  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

import ijson
import orjson
from django.conf import settings
from django.db import connection
from tqdm import tqdm

import thrive
from thrive.accounts.models import Council
from thrive.awards.models import Award
from thrive.opendata import counts, flat
from thrive.opendata.bench_flat import measure_xlsx_export
from thrive.opendata.bench_ocds import measure as measure_ocds_imports
from thrive.opendata.importing import import_360giving
from thrive.opendata.publishing import grant_awards

GRANTS = int(os.environ.get("BENCH_GRANTS", "1000000"))
IMPORT_GRANTS = int(os.environ.get("BENCH_IMPORT_GRANTS", "200000"))
FAULTY_BY_SCALE = {"demo": 5000, "county": 50000, "large": 200000}
FAULTY_GRANTS = int(
    os.environ.get(
        "BENCH_FAULTY_GRANTS", FAULTY_BY_SCALE.get(os.environ.get("BENCH_SCALE", "county"), 50000)
    )
)


def _make_awards(council: Council, count: int) -> None:
    """Copy the council's published grants until it has ``count`` of them."""
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
    counts.recount([council.pk])  # saved without their signals


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
    council = Council.objects.order_by("pk").first()
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
    rows += measure_faulty_imports(folder, FAULTY_GRANTS)
    rows += measure_ocds_imports()
    rows += measure_start_up(folder)
    rows += xlsx_rows
    return rows


def _write_import_sample(exported: Path, sample: Path, count: int) -> None:
    """Another funder's file: our grants re-identified under a different funder."""
    with exported.open("rb") as source, sample.open("wb") as out:
        out.write(b'{"grants": [')
        for index, grant in enumerate(ijson.items(source, "grants.item", use_float=True)):
            if index == count:
                break
            grant["id"] = f"360G-otherfunder-{index}"
            grant["fundingOrganization"] = [{"id": "GB-CHC-1000001", "name": "Other Trust"}]
            out.write((b"," if index else b"") + orjson.dumps(grant))
        out.write(b"]}")


# --- a file as real publishers write them: something wrong with every grant -------------

# Each grant carries one or two of these, in turn: the faults found in real files.
FAULTS = [
    "text amount",
    "day-first date",
    "missing description",
    "codelist",
    "odd recipient id",
    "planned dates and web address",
    "open call",
]
EXTRA_COLUMN = "Notes for the board"


def faulty_grant(index: int, batch: str = "a") -> dict:
    """A made-up grant with one or two real-shaped faults (no real organisation's number).

    ``batch`` tells apart the grant identifiers of files with the same recipients.
    """
    grant = {
        "id": f"360G-benchtrust-{batch}{index}",
        "title": f"Community project {index}",
        "description": "Activities for older people in the town",
        "currency": "GBP",
        "amountAwarded": 1000 + index % 9000,
        "awardDate": f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
        "recipientOrganization": [
            {"id": f"360G-benchtrust-ORG-{index % 2000}", "name": f"Bench Group {index % 2000}"}
        ],
        "fundingOrganization": [{"id": "360G-benchtrust", "name": "Bench Trust"}],
        "beneficiaryLocation": [{"name": "Dunholm", "geoCode": "E07000304", "geoCodeType": "NMD"}],
    }
    for fault in {FAULTS[index % len(FAULTS)], FAULTS[index * 3 % len(FAULTS)]}:
        if fault == "text amount":
            grant["amountAwarded"] = f"£{grant['amountAwarded']:,}"
        elif fault == "day-first date":
            grant["awardDate"] = f"{index % 28 + 1:02d}/{index % 12 + 1:02d}/2024"
        elif fault == "missing description":
            del grant["description"]
        elif fault == "codelist":
            grant["beneficiaryLocation"] = [
                {"name": "Dunholm", "geoCodeType": "XYZ", "countryCode": "UK"}
            ]
        elif fault == "odd recipient id":
            odd = "charity 123" if index % 2 else "GB-CHC-12345"
            grant["recipientOrganization"][0]["id"] = f"{odd}{index % 2000:04d}"[:14]
        elif fault == "planned dates and web address":
            grant["plannedDates"] = [{"startDate": "01/04/2024", "endDate": "2025-03-31"}]
            grant["url"] = "www.example.org.uk/grants"
        else:
            grant["fromOpenCall"] = "yes"
    return grant


def write_faulty_json(path: Path, count: int, batch: str = "a") -> None:
    with path.open("wb") as out:
        out.write(b'{"grants": [')
        for index in range(count):
            grant = faulty_grant(index, batch)
            grant["boardNotes"] = "kept as published"  # an extra field: not a fault in JSON
            out.write((b"," if index else b"") + orjson.dumps(grant))
        out.write(b"]}")


def write_faulty_csv(path: Path, count: int, batch: str = "a") -> None:
    """The same grants as a sheet with 360Giving column titles and an extra column."""
    columns = [c for c in flat.export_columns({}) if not c[0].startswith("Classifications")]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([title for title, _ in columns] + [EXTRA_COLUMN])
        for index in range(count):
            row = flat.grant_to_row(faulty_grant(index, batch), columns)
            writer.writerow(["" if v is None else v for v in row] + ["kept as published"])


def measure_faulty_imports(folder: Path, count: int) -> list[tuple[str, str, str, bool]]:
    """Import faulty files in process, keeping every problem: first a JSON file whose
    recipients are new (each added to the register), then the same grants under other
    identifiers as JSON and as CSV, their recipients now known."""
    rows = []
    runs = [
        ("json", "a", write_faulty_json, "first import, adding its recipients", 2000),
        ("json", "b", write_faulty_json, "recipients known", 5000),
        ("csv", "c", write_faulty_csv, "recipients known", 5000),
    ]
    for fmt, batch, write, label, target in runs:
        path = folder / f"faulty-{batch}.{fmt}"
        write(path, count, batch)
        start, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as stream:
            result = import_360giving(stream=stream, filename=path.name)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu  # steadier than the clock on a busy machine
        rate = result.grants_read / seconds
        added = f", {result.organisations_created:,} organisations added" if batch == "a" else ""
        rows.append(
            (
                f"360Giving import of {count:,} grants, each with a fault ({fmt.upper()}, "
                f"{label}; in process, every problem kept)",
                f"{seconds:.1f} s ({cpu:.1f} s of CPU), {rate:,.0f} grants/s, "
                f"{len(result.problems):,} problems" + added,
                f"≥ {target:,} grants/s",
                rate >= target and result.grants_read == count,
            )
        )
    return rows


def _child_times(*args: str) -> tuple[float, float]:
    """Run ``thrive`` in a child process; return its seconds by the clock and of CPU."""

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before = children_cpu()
    seconds, _, _ = _child(*args)
    return seconds, children_cpu() - before


def measure_start_up(folder: Path) -> list[tuple[str, str, str, bool]]:
    """How soon ``thrive import 360giving`` answers: its help, and a one-grant file.

    The project's modules are compiled first, as an installed package's are and as the first
    run leaves them (unless ``PYTHONDONTWRITEBYTECODE`` is set, when every run would compile
    them again)."""
    compileall.compile_dir(Path(thrive.__file__).parent, quiet=1)
    one = folder / "one-grant.json"
    write_faulty_json(one, 1, "start")
    rows = []
    for label, args in (
        ("thrive import 360giving --help", ("import", "360giving", "--help")),
        (
            "thrive import 360giving of a one-grant file, start to finish",
            ("import", "-v", "0", "360giving", str(one), "--dry-run"),
        ),
    ):
        seconds, cpu = _child_times(*args)
        rows.append(
            (
                f"{label} (child process)",
                f"{seconds:.2f} s ({cpu:.2f} s of CPU)",
                "< 1 s",
                seconds < 1,
            )
        )
    return rows


__all__ = ["measure", "settings"]

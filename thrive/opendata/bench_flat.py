"""Benchmark: the council's 360Giving XLSX export beside flattentool on the same grants.

Target (issue 16): the export writes at least five times as many grants a second as
``flattentool flatten`` (with the options 360Giving's guidance gives it) on the same
grants, both timed in this process in the same run. The open data benchmark
(``bench.measure``) calls ``measure_xlsx_export`` before it grows the council to a
million grants; ``python -m thrive.opendata.bench_flat`` runs it alone.
"""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from thrive.opendata import flat, grant_sheets, standards

XLSX_BY_SCALE = {"demo": 1000, "county": 4000, "large": 20000}
XLSX_GRANTS = int(
    os.environ.get(
        "BENCH_XLSX_GRANTS", XLSX_BY_SCALE.get(os.environ.get("BENCH_SCALE", "county"), 4000)
    )
)
TARGET = 5.0


def _flattentool_seconds(source: Path, out: Path) -> float | None:
    """Seconds ``flattentool flatten`` takes over the JSON file, or None if not installed."""
    try:
        import flattentool  # lazy: optional and heavy, only for the comparison
    except ImportError:
        return None
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flattentool.flatten(
            str(source),
            schema=str(standards.standards_dir() / flat.SCHEMA),
            output_name=str(out),
            output_format="xlsx",
            main_sheet_name="grants",
            root_list_path="grants",
            root_id="",
            rollup=True,
            use_titles=True,
        )
    return time.perf_counter() - start


def measure_xlsx_export(council: Any = None, count: int = XLSX_GRANTS) -> list[tuple]:
    """Time the council's XLSX export and flattentool on its JSON export, side by side."""
    # lazy: these load models, and this module runs as a script before django.setup()
    from thrive.accounts.models import Council
    from thrive.opendata import publishing  # lazy: as above
    from thrive.opendata.bench import _make_awards  # lazy: as above

    council = council or Council.objects.order_by("pk").first()
    _make_awards(council, count)
    count = publishing.grant_awards(council).count()
    folder = Path(tempfile.mkdtemp(prefix="thrive-bench-xlsx-"))
    source = folder / "grants.json"
    with source.open("wb") as out:
        for chunk in publishing.iter_json(council):
            out.write(chunk)
    start = time.perf_counter()
    with (folder / "thrive.xlsx").open("wb") as out:
        grant_sheets.write_xlsx(council, out)
    ours = time.perf_counter() - start
    theirs = _flattentool_seconds(source, folder / "flattentool.xlsx")
    name = f"360Giving XLSX export of {count:,} grants beside flattentool flatten (in process)"
    if theirs is None:
        return [(name, f"{count / ours:,.0f} grants/s; flattentool not installed", "≥ 5×", False)]
    ratio = theirs / ours
    return [
        (
            name,
            f"Thrive {ours:.2f} s ({count / ours:,.0f} grants/s), flattentool {theirs:.2f} s "
            f"({count / theirs:,.0f} grants/s): {ratio:.1f}×",
            f"≥ {TARGET:.0f}× flattentool's grants/s",
            ratio >= TARGET,
        )
    ]


if __name__ == "__main__":  # pragma: no cover - a manual run
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive.settings")
    django.setup()
    for row in measure_xlsx_export():
        print(" | ".join(str(part) for part in row))

"""Export imported 360Giving grants back out, each exactly as its funder published it.

``ExternalGrant.data`` holds every imported grant whole (every schema field and any extra
one). The JSON export writes those grants as they are stored, text straight from the
database into the package, a few thousand at a time, so an export of hundreds of
thousands of grants never holds them all in memory. The XLSX and CSV exports turn the
same grants into the 360Giving flat form with ``thrive.opendata.flat``; the XLSX is
written by ``xlsxstream``, which refuses a text longer than an Excel cell holds rather
than cut it (the command then writes no file and says to export JSON or CSV).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from thrive.core import exports
from thrive.opendata import flat, xlsxstream
from thrive.opendata.models import ExternalGrant, ImportRun

CHUNK = 2000
FORMATS = ("json", "xlsx", "csv")
SCHEMA_VERSION = "1.4"


def external_grants(*, run: int | None = None, funder: str | None = None) -> QuerySet:
    """The imported grants, in the order they were first imported: those last written by
    one import run, or published by one funder (its organisation identifier), or all."""
    grants = ExternalGrant.objects.order_by("pk")
    if run is not None:
        grants = grants.filter(import_run_id=run)
    if funder:
        grants = grants.filter(funder_org_id=funder.strip())
    return grants


def _stored_texts(grants: QuerySet) -> Iterator[str]:
    """Each grant's ``data`` as the JSON text the database holds."""
    texts = grants.annotate(text=Cast("data", output_field=TextField()))
    return texts.values_list("text", flat=True).iterator(chunk_size=CHUNK)


def package_header(title: str) -> dict[str, Any]:
    return {"version": SCHEMA_VERSION, "title": title}


def iter_json(grants: QuerySet, *, title: str) -> Iterator[str]:
    """A 360Giving package of the grants as text chunks of about ``CHUNK`` grants."""
    yield json.dumps(package_header(title))[:-1] + ', "grants": [\n'
    batch: list[str] = []
    separator = ""
    for text in _stored_texts(grants):
        batch.append(text)
        if len(batch) == CHUNK:
            yield separator + ",\n".join(batch)
            separator, batch = ",\n", []
    if batch:
        yield separator + ",\n".join(batch)
    yield "\n]}\n"


def _grants(grants: QuerySet) -> Iterator[dict[str, Any]]:
    return grants.values_list("data", flat=True).iterator(chunk_size=CHUNK)


def _sheet(grants: QuerySet) -> tuple[list[str], Iterator[list[Any]]]:
    """The flat form's titles and rows: one pass over the grants finds the columns every
    field of any of them needs, a second writes the rows (never all grants at once)."""
    columns = flat.layout_of(_grants(grants)).columns()
    rows = (flat.grant_to_row(grant, columns) for grant in _grants(grants))
    return [title for title, _ in columns], rows


def write(grants: QuerySet, out: IO[bytes], *, fmt: str, title: str) -> int:
    """Write the grants to ``out`` as a 360Giving JSON package, or as XLSX or CSV; return
    how many texts the CSV marked with an apostrophe (none in JSON or XLSX)."""
    if fmt == "xlsx":
        headers, rows = _sheet(grants)
        xlsxstream.write_xlsx(out, headers=headers, rows=rows, title="grants")
        return 0
    chunks: Iterator[str]
    marked = [0]
    if fmt == "csv":
        headers, rows = _sheet(grants)
        chunks = exports.iter_csv(headers=headers, rows=_counting_marks(rows, marked))
        out.write("\ufeff".encode())
    else:
        chunks = iter_json(grants, title=title)
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
    return marked[0]


def _counting_marks(rows: Iterator[list[Any]], marked: list[int]) -> Iterator[list[Any]]:
    """The rows unchanged, counting in ``marked[0]`` the texts a CSV writes marked."""
    for row in rows:
        marked[0] += sum(1 for value in row if exports.safe_cell(value) is not value)
        yield row


def format_of(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise ValueError("The file must end in .json, .xlsx or .csv")
    return suffix


# --- the command line: ``thrive export external-grants FILE`` ---------------------


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "file", help="The file to write: .json (a 360Giving package), .xlsx or .csv"
    )
    parser.add_argument("--run", type=int, help="Only the grants last written by this import run")
    parser.add_argument(
        "--funder", help="Only the grants of this funder (its organisation identifier)"
    )


def export_file(options: dict[str, Any]) -> str:
    """Run ``thrive export external-grants FILE [--run N] [--funder ORG-ID]``."""
    output = Path(options["file"])
    try:
        fmt = format_of(output.name)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if not output.parent.is_dir():
        raise CommandError(f"No such folder: {output.parent}")
    run, funder = options.get("run"), options.get("funder")
    if run is not None and not ImportRun.objects.filter(pk=run).exists():
        raise CommandError(f"No import run {run}.")
    grants = external_grants(run=run, funder=funder)
    title = "Grants by other funders, as published"
    try:
        with output.open("wb") as handle:
            marked = write(grants, handle, fmt=fmt, title=title)
    except xlsxstream.TooLongForExcel as exc:
        output.unlink(missing_ok=True)  # no half-written workbook left to be taken for whole
        raise CommandError(str(exc)) from exc
    done = f"Wrote {grants.count():,} imported grants to {output} ({fmt})."
    if marked:
        done += (
            f" {marked:,} texts a spreadsheet program would run as formulas start with an "
            "apostrophe in this CSV, which keeps them text; the .json and .xlsx exports "
            "hold them exactly as published."
        )
    return done

"""Tables out as CSV, XLSX or ODS: one helper for every list that exports what is on screen.

Every file the service writes keeps text as text (OWASP "CSV injection"): a name such as
``=HYPERLINK("http://evil","x")`` must never become a live formula in the reader's
spreadsheet program. Each format is made inert in its own way, all decided here:

- CSV carries no types, so a text cell that a spreadsheet program would read as a formula
  is written with a leading apostrophe (``'=HYPERLINK(...)``), the mark spreadsheet
  programs themselves use for "this is text".
- XLSX writes every text as a string cell (never a formula or error cell) and marks the
  risky ones with Excel's own "quote prefix" style, so the visible text is unchanged and
  stays text even when the cell is edited.
- ODS writes every text as a string cell (``office:value-type="string"``); no cell has a
  ``table:formula``, so the visible text is unchanged.

Numbers, amounts and dates stay numbers and dates in every format; a text that is only a
number (``-12.50``, ``-£1,250.00``) is left alone, since a spreadsheet reads it as that
number and nothing else. Characters XML cannot hold (control characters other than tab,
line feed and carriage return) are left out of XLSX and ODS cells.

An Excel cell holds at most 32,767 characters; Excel refuses or "repairs" a file with a
longer one, and a spreadsheet library would cut it without a word. A list
download is for reading, so an XLSX cell with a longer text (a pasted report, say) holds
its start and ends with a visible note saying it was cut, how long the whole text is and
that the CSV and ODS downloads of the same list hold it whole (neither has such a limit).
The 360Giving open data sheet, where a cut text would be lost data, refuses instead
(``thrive.opendata.xlsxstream``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from thrive.core import sheets
from thrive.core.db_router import reading_replica

EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
}
# OWASP's list (= + - @ tab carriage return), line feed, and their full-width forms, which
# some spreadsheet programs also take as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_RISKY_START = frozenset(start[0] for start in FORMULA_START) | {" "}
# A number as the service writes one in text: -12.50, -1,250.00, -£1,250.00 or 12%.
_PLAIN_NUMBER = re.compile(r"[+-]?£?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?%?")
CSV_CHUNK_ROWS = 500
# The most characters an Excel cell holds, counted as Excel counts them (UTF-16 code
# units: a character beyond the first 65,536, such as an emoji, counts as two).
XLSX_CELL_LIMIT = 32_767
_SURELY_FITS = XLSX_CELL_LIMIT // 2
CUT_NOTE = (
    " … [cut here: the whole text has {length:,} characters and an Excel cell holds "
    "{limit:,}; the CSV and ODS downloads hold it whole]"
)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could read this text as a formula (spaces skipped)."""
    return text.lstrip(" ").startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet program runs: risky text gets a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def xml_text(text: str) -> str:
    """The text without the control characters an XML spreadsheet cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def excel_length(text: str) -> int:
    """The text's length as Excel counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def fits_excel_cell(text: str) -> bool:
    """Whether an Excel cell holds the whole text (quick for any text of usual length)."""
    return len(text) <= _SURELY_FITS or excel_length(text) <= XLSX_CELL_LIMIT


def cut_for_excel(text: str) -> str:
    """The text as one Excel cell holds it: whole if it fits, else its start and a note."""
    if fits_excel_cell(text):
        return text
    note = CUT_NOTE.format(length=excel_length(text), limit=XLSX_CELL_LIMIT)
    room = XLSX_CELL_LIMIT - excel_length(note)
    # Cut by code units; half a pair at the cut is dropped, never left alone.
    start = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", errors="ignore")
    return start + note


def iter_csv(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], chunk_rows: int = CSV_CHUNK_ROWS
) -> Iterator[str]:
    """Rows as CSV text, a few hundred at a time, every text cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(title) for title in headers])
    for index, row in enumerate(rows, start=1):
        # a cell is looked at closer only when it starts as a formula might (a quick test)
        writer.writerow(
            [
                safe_cell(value) if type(value) is str and value[:1] in _RISKY_START else value
                for value in row
            ]
        )
        if index % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_bytes(*, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows as CSV in UTF-8 with a byte-order mark, every text cell made formula-safe."""
    return ("\ufeff" + "".join(iter_csv(headers=headers, rows=rows))).encode("utf-8")


def xlsx_text(value: str) -> tuple[str, bool]:
    """A text as an XLSX string cell holds it (escaped, cut to fit) and whether it needs
    Excel's quote prefix to stay text when edited."""
    risky = value[:1] in _RISKY_START and is_formula_like(value)
    if len(value) <= _SURELY_FITS:  # nearly every text: surely fits, nothing to cut
        return sheets.escape(value), risky
    return sheets.escape(cut_for_excel(value)), risky


def write_xlsx(
    out: IO[bytes], *, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> int:
    """Write the rows as one XLSX sheet, streamed (a million rows in bounded memory)."""
    return sheets.write_xlsx(out, headers=headers, rows=rows, title=title, text=xlsx_text)


def write_ods(
    out: IO[bytes], *, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> int:
    """Write the rows as one ODS sheet, streamed: text as string cells, never a formula."""
    return sheets.write_ods(out, headers=headers, rows=rows, title=title)


def ods_bytes(*, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """The rows as one ODS sheet: text as string cells, never a formula."""
    buffer = io.BytesIO()
    write_ods(buffer, headers=headers, rows=rows, title=title)
    return buffer.getvalue()


def write_export(
    out: IO[bytes], *, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, title: str
) -> int:
    """Write the rows to a binary file in the format; answer how many rows were written."""
    if fmt == "csv":
        count = 0

        def counted() -> Iterator[Sequence[Any]]:
            nonlocal count
            for row in rows:
                count += 1
                yield row

        out.write("\ufeff".encode())
        for chunk in iter_csv(headers=headers, rows=counted()):
            out.write(chunk.encode("utf-8"))
        return count
    if fmt == "xlsx":
        return write_xlsx(out, headers=headers, rows=rows, title=title)
    if fmt == "ods":
        return write_ods(out, headers=headers, rows=rows, title=title)
    raise ValueError(f"Unknown export format {fmt!r}")


def export_bytes(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, title: str = "Export"
) -> bytes:
    """The rows in the format: CSV as UTF-8 with a byte-order mark for spreadsheet programs."""
    if fmt == "csv":
        return csv_bytes(headers=headers, rows=rows)
    buffer = io.BytesIO()
    write_export(buffer, headers=headers, rows=rows, fmt=fmt, title=title)
    return buffer.getvalue()


def export_response(
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    filename: str,
    title: str = "Export",
) -> HttpResponse:
    """An attachment download of the rows in CSV, XLSX or ODS, named with today's date.

    CSV is written straight from the rows (without holding every row twice), so a list of
    a hundred thousand rows downloads quickly.
    """
    content_type = EXPORT_FORMATS[fmt][1] if fmt in EXPORT_FORMATS else None
    if content_type is None:
        raise ValueError(f"Unknown export format {fmt!r}")
    with reading_replica():  # a list download may be a second or two old
        content = export_bytes(headers=headers, rows=rows, fmt=fmt, title=title)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", filename).strip("-") or "export"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    )
    return response

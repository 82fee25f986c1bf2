"""One-sheet XLSX workbooks streamed straight to the file: for large open data exports.

A general spreadsheet library builds an object per cell; the service's sheet writer
(``thrive.core.sheets``) writes each row's XML as text, as it comes, into the zip (memory
stays flat for a million rows), several times faster; this gives it the open data rules.
The workbook holds what the open data sheets need and nothing more: one sheet, a bold
frozen title row, text as inline string cells, numbers as numbers.

It keeps the service's rule for files people open (see ``thrive.core.exports``): every
text is a string cell, never a formula, and a text a spreadsheet program could take for
a formula is also marked with Excel's "quote prefix" style; characters XML cannot hold
are left out.

A text longer than an Excel cell holds (32,767 characters) makes the workbook refuse to
be written: ``TooLongForExcel`` names the grant (its Identifier) and the column, and
points to the JSON and CSV exports, which hold every text whole. Open data is republished
and compared, so a sheet with a silently shorter description would be wrong data under
the publisher's name; a cut with a note in the cell (what the staff list downloads do)
would still read back as a changed grant; and a text spread over extra columns or rows
is no 360Giving sheet any tool reads back as one field. flattentool, the community's
converter, leaves the cut to openpyxl, which shortens the text without a word. Refusing
loudly is the only way that loses nothing. The council's own grants cannot meet the
limit (their texts come from fields of at most a few hundred characters); imported
grants exported back (``exporting``) can, and the command says so and writes no file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from thrive.core import sheets
from thrive.core.exports import XLSX_CELL_LIMIT, excel_length, fits_excel_cell, is_formula_like


class TooLongForExcel(ValueError):
    """A text is longer than an Excel cell holds; the workbook is not written."""


class _TooLong(Exception):
    def __init__(self, length: int) -> None:
        self.length = length


def _whole_text(text: str) -> tuple[str, bool]:
    """The text whole as a string cell, or ``_TooLong`` when a cell cannot hold it."""
    if not fits_excel_cell(text):
        raise _TooLong(excel_length(text))
    return sheets.escape(text), is_formula_like(text)


def _dates_as_text(row: Sequence[Any]) -> list[Any]:
    return [value.isoformat() if isinstance(value, (dt.date, dt.time)) else value for value in row]


def write_xlsx(
    out: IO[bytes], *, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> None:
    """Write the rows as one XLSX sheet titled ``title``, streamed, the titles in bold.

    Dates are written as the text 360Giving gives them (``2025-06-01``), so the sheet reads
    back as the same data."""
    current: list[Sequence[Any]] = []

    def remembered() -> Iterator[list[Any]]:
        for row in rows:
            current[:] = [row]
            yield _dates_as_text(row)

    try:
        sheets.write_xlsx(out, headers=headers, rows=remembered(), title=title, text=_whole_text)
    except _TooLong as exc:
        if not current:
            raise TooLongForExcel(_refusal("A column title", exc.length)) from None
        raise _too_long(headers, current[0], exc.length) from None


def _too_long(headers: Sequence[str], row: Sequence[Any], length: int) -> TooLongForExcel:
    """Name the grant and column of the first text too long for a cell in ``row``."""
    column = next(
        (
            str(title)
            for title, value in zip(headers, row, strict=False)
            if value is not None and not fits_excel_cell(str(value))
        ),
        "text",
    )
    titles = [str(title).strip().lower() for title in headers]
    where = "A grant"
    if "identifier" in titles and titles.index("identifier") < len(row):
        where = f"Grant {row[titles.index('identifier')]}"
    return TooLongForExcel(_refusal(f"{where}'s {column}", length))


def _refusal(what: str, length: int) -> str:
    return (
        f"{what} has {length:,} characters, more than the {XLSX_CELL_LIMIT:,} an Excel cell "
        "holds, so no XLSX file was written (it would lose the end of the text). Export as "
        "JSON or CSV instead: both hold every text whole."
    )

"""Reading an import file: CSV or XLSX, every cell as text, the columns checked."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from thrive.core.uploads import UnsafeZip, check_zip
from thrive.organisations import synonyms

COLUMNS = [
    "name",
    "other_names",
    "legal_form",
    "charity_number",
    "company_number",
    "org_id",
    "postcode",
    "areas",
    "beneficiary_groups",
    "annual_income",
    "income_year",
    "website",
    "email",
    "directory_opt_in",
]
REQUIRED_COLUMNS = ["name"]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


def split_cell(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def read_rows(content: bytes, filename: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the data rows of a CSV or XLSX file, every cell as text."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        return [], []
    headers = _columns(rows[0])
    return headers, [_as_dict(headers, r) for r in rows[1:] if any(c.strip() for c in r)]


def _columns(titles: list[str]) -> list[str]:
    """Each title as the column it means ('Charity No.' -> charity_number), else as written."""
    return [synonyms.column_for(t) or " ".join(t.split()) for t in titles]


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates as 2024-03-31, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    from openpyxl import load_workbook  # lazy: a heavy reader, needed only for XLSX files

    stream = io.BytesIO(content)
    check_zip(stream)  # an XLSX file is a zip: refuse a zip bomb before openpyxl opens it
    try:
        sheet = load_workbook(stream, read_only=True, data_only=True).worksheets[0]
        rows = [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl and zipfile
        raise UnsafeZip(f"it is damaged ({exc})") from exc
    if not rows:
        return [], []
    headers = _columns(rows[0])
    return headers, [_as_dict(headers, r) for r in rows[1:] if any(c.strip() for c in r)]


def _as_dict(headers: list[str], row: list[str]) -> dict[str, str]:
    return {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(headers)}


def check_headers(headers: list[str]) -> list[RowError]:
    errors = [
        RowError(1, column, "the column is missing")
        for column in REQUIRED_COLUMNS
        if column not in headers
    ]
    errors += [
        RowError(1, header or "(blank)", f"unknown column; use only {', '.join(COLUMNS)}")
        for header in headers
        if header not in COLUMNS
    ]
    errors += [
        RowError(1, header, "the column appears more than once")
        for index, header in enumerate(headers)
        if header in COLUMNS and header in headers[:index]
    ]
    return errors

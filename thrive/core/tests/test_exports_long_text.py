"""A list download with a text longer than an Excel cell holds: the XLSX cell says it was
cut and where the whole text is; CSV and ODS hold it whole."""

from __future__ import annotations

import io

import tablib
from openpyxl import load_workbook

from thrive.core.exports import XLSX_CELL_LIMIT, excel_length, export_bytes

HEADERS = ["Name", "Notes"]


def _xlsx_cell(text: str) -> str:
    content = export_bytes(headers=HEADERS, rows=[["Ashbourne Trust", text]], fmt="xlsx")
    return load_workbook(io.BytesIO(content)).active["B2"].value


def test_a_40000_character_text_is_cut_to_fit_with_a_note_saying_so() -> None:
    text = "".join(f"word{index} " for index in range(6000))[:40_000]
    assert len(text) == 40_000

    cell = _xlsx_cell(text)

    assert len(cell) <= XLSX_CELL_LIMIT
    note = cell[cell.rindex(" … [cut here") :]
    assert "40,000 characters" in note and "CSV and ODS downloads hold it whole" in note
    assert text.startswith(cell[: -len(note)])
    assert len(cell) == XLSX_CELL_LIMIT  # as much of the text as fits beside the note


def test_the_csv_and_ods_of_the_same_list_hold_the_whole_text() -> None:
    text = "x" * 40_000
    rows = [["Ashbourne Trust", text]]
    csv_text = export_bytes(headers=HEADERS, rows=rows, fmt="csv").decode("utf-8-sig")
    assert text in csv_text
    ods = tablib.Dataset().load(export_bytes(headers=HEADERS, rows=rows, fmt="ods"), "ods")
    assert ods[0][1] == text


def test_a_text_that_just_fits_is_kept_whole() -> None:
    text = "y" * XLSX_CELL_LIMIT
    assert _xlsx_cell(text) == text


def test_characters_counted_twice_by_excel_are_counted_so_and_never_cut_in_half() -> None:
    text = "\U0001f600" * 20_000  # 40,000 as Excel counts, 20,000 in Python

    cell = _xlsx_cell(text)

    assert excel_length(cell) <= XLSX_CELL_LIMIT
    kept = cell[: cell.rindex(" … [cut here")]
    assert kept and set(kept) == {"\U0001f600"}
    assert "40,000 characters" in cell

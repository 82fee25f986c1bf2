"""The shared export helper: CSV, XLSX and ODS whose text cells are never formulas."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from thrive.core import sheets
from thrive.core.exports import (
    EXPORT_FORMATS,
    csv_bytes,
    export_bytes,
    export_response,
    is_formula_like,
    iter_csv,
    safe_cell,
    xml_text,
)
from thrive.core.streaming import stream_rows

HEADERS = ["name", "amount"]
ROWS = [["Ashbourne Trust", 12.5], ["=cmd|' /C calc'!A0", 3]]
PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\uff1dSUM(1)",
    "#REF!",
    "=",
    "-",
    "'=already quoted",
]
PREFIXES = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", " =", "\uff1d", "'", ""])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds(lambda prefix, body: prefix + body, PREFIXES, texts),
    texts,
)
numbers = st.one_of(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from([-3.25]))
cells = st.one_of(hostile, numbers, st.none(), st.dates(min_value=date(1900, 1, 1)))
tables = st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=6)


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _expected_csv(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return str(value)


def test_csv_has_a_byte_order_mark_and_neutralised_formulas() -> None:
    data = export_bytes(headers=HEADERS, rows=ROWS, fmt="csv")
    assert data.startswith("\ufeff".encode())
    rows = _csv_rows(data)
    assert rows[0] == ["name", "amount"]
    assert rows[2] == ["'=cmd|' /C calc'!A0", "3"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_known_payload_is_written_as_text(payload: str) -> None:
    rows = [[payload, -12]]
    assert _csv_rows(export_bytes(headers=HEADERS, rows=rows, fmt="csv"))[1][0] == (
        "'" + payload if payload[0] in "=+-@\t\r \uff1d" else payload
    )
    sheet = load_workbook(io.BytesIO(export_bytes(headers=HEADERS, rows=rows, fmt="xlsx"))).active
    assert sheet["A2"].data_type == "s"
    # openpyxl keeps a carriage return when it writes with lxml (installed with the test
    # tools), and XML turns it into a line feed without: either way the text is text.
    assert sheet["A2"].value in (payload, payload.replace("\r", "\n"))
    assert sheet["B2"].value == -12
    assert sheet["B2"].data_type == "n"


def test_negative_numbers_stay_numbers_and_plain_number_text_is_left_alone() -> None:
    rows = [[-5, "-12.50", "-1,250.00", "-£1,250.00", "-1+1", "-£1+1"]]
    written = _csv_rows(export_bytes(headers=list("abcdef"), rows=rows, fmt="csv"))
    assert written[1] == ["-5", "-12.50", "-1,250.00", "-£1,250.00", "'-1+1", "'-£1+1"]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_spreadsheets_load_back_with_the_same_rows(fmt: str) -> None:
    data = export_bytes(headers=HEADERS, rows=ROWS, fmt=fmt, title="Register")
    loaded = tablib.Dataset().load(io.BytesIO(data), format=fmt)
    assert loaded.headers == HEADERS
    assert loaded[0][0] == "Ashbourne Trust"
    assert loaded[1][0] == "=cmd|' /C calc'!A0"


def test_the_response_is_an_attachment_named_with_the_date() -> None:
    response = export_response(headers=HEADERS, rows=ROWS, fmt="xlsx", filename="org register!")
    assert response["Content-Type"] == EXPORT_FORMATS["xlsx"][1]
    assert response["Content-Disposition"].startswith('attachment; filename="org-register-')
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown export format"):
        export_response(headers=HEADERS, rows=ROWS, fmt="pdf", filename="x")


@given(hostile)
def test_no_csv_cell_starts_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not is_formula_like(cell)
    assert cell in (text, "'" + text)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_csv_reads_back_as_the_text_written_or_its_quoted_form(rows) -> None:
    written = _csv_rows(csv_bytes(headers=["a", "b", "c"], rows=rows))
    assert written[1:] == [[_expected_csv(value) for value in row] for row in rows]
    for row in written[1:]:
        for cell in row:
            assert not is_formula_like(cell)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_streamed_csv_in_small_chunks_is_the_whole_csv(rows) -> None:
    chunks = list(iter_csv(headers=["a", "b", "c"], rows=rows, chunk_rows=2))
    assert "\ufeff" + "".join(chunks) == csv_bytes(headers=["a", "b", "c"], rows=rows).decode()


def _xlsx_expected(value, *, lxml: bool = False):
    """The value read back: XML turns carriage returns into line feeds unless openpyxl
    wrote the file with lxml, which keeps them."""
    if isinstance(value, str):
        text = xml_text(value)
        if not lxml:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text or None
    if isinstance(value, date):
        return value
    return value


@settings(max_examples=60, deadline=None)
@given(tables)
def test_xlsx_has_no_formula_cell_and_keeps_every_value(rows) -> None:
    book = load_workbook(io.BytesIO(export_bytes(headers=["a", "b", "c"], rows=rows, fmt="xlsx")))
    sheet = book.active
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    # Read by position: a sheet does not store a last row with no values at all.
    cells = [[sheet.cell(row=r, column=c) for c in (1, 2, 3)] for r in range(2, len(rows) + 2)]
    for row, read in zip(rows, cells, strict=True):
        for value, cell in zip(row, read, strict=True):
            assert cell.data_type != "f"
            got = cell.value.date() if isinstance(value, date) else cell.value
            assert got in (_xlsx_expected(value), _xlsx_expected(value, lxml=True))
            if isinstance(value, str) and got is not None:
                assert cell.data_type == "s"
                assert cell.quotePrefix == is_formula_like(value)
            if isinstance(value, int):
                assert cell.data_type == "n"


def test_characters_xml_cannot_hold_are_left_out_of_spreadsheets() -> None:
    rows = [["=A\x00B\x1f", 1]]
    sheet = load_workbook(io.BytesIO(export_bytes(headers=HEADERS, rows=rows, fmt="xlsx"))).active
    assert sheet["A2"].value == "=AB"
    assert sheet["A2"].data_type == "s"
    loaded = tablib.Dataset().load(io.BytesIO(export_bytes(headers=HEADERS, rows=rows, fmt="ods")))
    assert loaded[0][0] == "=AB"


def _ods_cells(data: bytes) -> list[tuple[str, str]]:
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    assert "table:formula" not in content
    return re.findall(r'<table:table-cell office:value-type="(\w+)"([^>]*)>', content)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_ods_has_no_formula_and_text_stays_string_cells(rows) -> None:
    data = export_bytes(headers=["a", "b", "c"], rows=rows, fmt="ods")
    kinds = [kind for kind, _ in _ods_cells(data)][3:]
    expected = [
        "void"
        if v is None
        else "string"
        if isinstance(v, str)
        else "date"
        if isinstance(v, date)
        else "float"
        for row in rows
        for v in row
    ]
    assert kinds == expected
    loaded = tablib.Dataset().load(io.BytesIO(data), format="ods")
    for row, read in zip(rows, loaded, strict=True):
        for value, got in zip(row, read, strict=True):
            if isinstance(value, str) and xml_text(value).strip():
                assert " ".join(str(got).split()) == " ".join(xml_text(value).split())


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_repeated_texts_and_dates_keep_their_own_cells_when_remembered(monkeypatch, fmt) -> None:
    """Cells made once and remembered (and forgotten when too many are held) read back the
    same as cells made each time: a formula-like text stays quoted text, a date a date, and
    1, True and 1.0 stay a number, a yes and a number."""
    monkeypatch.setattr(sheets, "REMEMBERED_CELLS", 3)
    day = date(2025, 4, 1)
    rows = [["=SUM(A1)", day, 1, True, 1.0, "Adult Social Care"] for _ in range(4)]
    rows += [["Plain", date(2025, 4, n), n, False, n / 2, ""] for n in range(1, 6)]
    data = export_bytes(headers=list("abcdef"), rows=rows, fmt=fmt)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        read = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=6)]
        assert all(sheet.cell(row=r, column=1).quotePrefix for r in range(2, 6))
        assert not sheet.cell(row=6, column=1).quotePrefix
        assert [type(v) for v in read[0][2:5]] == [int, bool, float]
    else:
        read = [list(row) for row in tablib.Dataset().load(io.BytesIO(data), format="ods")]
    expected_dates = [day] * 4 + [date(2025, 4, n) for n in range(1, 6)]
    assert [row[0] for row in read] == ["=SUM(A1)"] * 4 + ["Plain"] * 5
    assert [row[1].date() if hasattr(row[1], "date") else row[1] for row in read] == (
        expected_dates
    )
    assert [row[2] for row in read] == [1, 1, 1, 1, 1, 2, 3, 4, 5]
    assert [row[3] for row in read] == [True] * 4 + [False] * 5


def test_a_row_shorter_or_longer_than_the_titles_fills_the_titles_columns() -> None:
    data = export_bytes(headers=["a", "b", "c"], rows=[["x"], ["p", "q", "r", "s"]], fmt="xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["x", None, None],
        ["p", "q", "r"],
    ]


def _planner_settings() -> tuple[str, str] | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('cursor_tuple_fraction'), current_setting('jit')")
        return cursor.fetchone()


@pytest.mark.django_db
def test_streamed_rows_are_every_row_in_order_and_the_planner_is_left_as_it_was() -> None:
    for name in ("carol", "alice", "bob", "dave", "erin"):
        get_user_model().objects.create(username=name, email=f"{name}@example.org")
    before = _planner_settings()
    users = get_user_model().objects.order_by("username").values_list("username", flat=True)
    seen_during = []

    def names():
        for name in stream_rows(users, chunk_size=2):
            seen_during.append(_planner_settings())
            yield name

    assert list(names()) == ["alice", "bob", "carol", "dave", "erin"]
    assert _planner_settings() == before
    if before is not None:
        assert seen_during[0] == ("1", "off")
    stopped = stream_rows(users, chunk_size=2)
    assert next(stopped) == "alice"
    stopped.close()  # reading stops part way: the settings are put back all the same
    assert _planner_settings() == before


@pytest.mark.django_db
def test_streams_read_side_by_side_put_the_planner_back_when_the_last_ends() -> None:
    for name in ("alice", "bob"):
        get_user_model().objects.create(username=name, email=f"{name}@example.org")
    before = _planner_settings()
    users = get_user_model().objects.order_by("username").values_list("username", flat=True)
    first, second = stream_rows(users), stream_rows(users)
    assert (next(first), next(second)) == ("alice", "alice")
    assert list(first) == ["bob"]
    if before is not None:
        assert _planner_settings() == ("1", "off")  # the second is still being read
    assert list(second) == ["bob"]
    assert _planner_settings() == before

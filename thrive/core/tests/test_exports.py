"""The shared export helper: CSV, XLSX and ODS with safe cells."""

from __future__ import annotations

import io

import pytest
import tablib
from hypothesis import given
from hypothesis import strategies as st

from thrive.core.exports import (
    EXPORT_FORMATS,
    build_dataset,
    csv_bytes,
    export_bytes,
    export_response,
    safe_cell,
)

HEADERS = ["name", "amount"]
ROWS = [["Ashbourne Trust", 12.5], ["=cmd|' /C calc'!A0", 3]]


def test_csv_has_a_byte_order_mark_and_neutralised_formulas() -> None:
    data = export_bytes(build_dataset(headers=HEADERS, rows=ROWS), "csv")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "name,amount"
    assert "'=cmd" in text


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_spreadsheets_load_back_with_the_same_rows(fmt: str) -> None:
    data = export_bytes(build_dataset(headers=HEADERS, rows=ROWS, title="Register"), fmt)
    loaded = tablib.Dataset().load(io.BytesIO(data), format=fmt)
    assert loaded.headers == HEADERS
    assert loaded[0][0] == "Ashbourne Trust"


def test_the_response_is_an_attachment_named_with_the_date() -> None:
    response = export_response(headers=HEADERS, rows=ROWS, fmt="xlsx", filename="org register!")
    assert response["Content-Type"] == EXPORT_FORMATS["xlsx"][1]
    assert response["Content-Disposition"].startswith('attachment; filename="org-register-')
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown export format"):
        export_response(headers=HEADERS, rows=ROWS, fmt="pdf", filename="x")


@given(st.text())
def test_no_cell_starts_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@")) or cell.startswith("'")


cells = st.one_of(
    st.none(),
    st.integers(),
    st.dates(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(["=SUM(A1)", "+1", "-2", "@x", "a,b", 'say "hi"', "two\nlines"]),
)


@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8))
def test_streamed_csv_is_the_same_as_the_dataset_csv(rows) -> None:
    headers = ["a", "b", "c"]
    written = csv_bytes(headers=headers, rows=rows)
    assert written == export_bytes(build_dataset(headers=headers, rows=rows), "csv")

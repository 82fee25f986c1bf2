"""The open data CSV files' text, the same text ``thrive.core.exports.iter_csv`` writes.

The files hold every row of a council (tens of thousands, a million at national scale),
so a cell is made formula-safe only when it could be a formula: a text starting with one
of the characters ``exports.is_formula_like`` looks for, or a space. Every other cell is
written as it is, as the general writer would write it.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from thrive.core import exports

# Only a text starting with one of these can be taken for a formula (after any spaces).
RISKY_START = frozenset(exports.FORMULA_START) | {" "}
# A cell is quoted when it holds one of these, as the csv module quotes (QUOTE_MINIMAL).
_QUOTED = re.compile(r'[,"\r\n]')


def cell(value: Any) -> str:
    """One formula-safe cell as the csv module writes it, quoted where it must be."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    if value[:1] in RISKY_START:
        value = exports.safe_cell(value)
    return '"' + value.replace('"', '""') + '"' if _QUOTED.search(value) else value


def cells(values: Iterable[Any]) -> str:
    """Formula-safe cells joined as part of one CSV line."""
    return ",".join(cell(value) for value in values)


def iter_csv(
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    chunk_rows: int = exports.CSV_CHUNK_ROWS,
) -> Iterator[str]:
    """Rows as CSV text, a few hundred at a time, every text cell made formula-safe."""
    buffer = io.StringIO(header(headers))
    buffer.seek(0, io.SEEK_END)
    writer = csv.writer(buffer)
    safe, risky = exports.safe_cell, RISKY_START
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, chunk_rows)):
        writer.writerows(
            [safe(v) if isinstance(v, str) and v[:1] in risky else v for v in row] for row in chunk
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def header(headers: Sequence[str]) -> str:
    """The title line of a CSV file, formula-safe."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([exports.safe_cell(title) for title in headers])
    return buffer.getvalue()

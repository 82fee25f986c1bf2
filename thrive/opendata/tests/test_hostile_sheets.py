"""A hostile CSV file (a huge cell, titles nested too deep) is refused like a JSON one."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from thrive.opendata import flat, importing
from thrive.opendata.importing import ImportFileError, import_360giving
from thrive.opendata.models import ExternalGrant

pytestmark = pytest.mark.django_db

TITLES = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
]


def _row(index: int, **cells: str) -> list[str]:
    values = {
        "Identifier": f"360G-sheet-{index}",
        "Title": "Youth club",
        "Description": "Evening sessions",
        "Currency": "GBP",
        "Amount Awarded": "1500",
        "Award Date": "2025-04-01",
        "Recipient Org:Identifier": "GB-CHC-1990095",
        "Recipient Org:Name": "Dunholm Youth Club",
        "Funding Org:Identifier": "GB-CHC-1990000",
        "Funding Org:Name": "Dunholm Trust",
    }
    return [cells.get(title, values[title]) for title in TITLES]


def _csv(titles: list[str], *rows: list[str]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(titles)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode())


def test_a_huge_cell_refuses_the_file_naming_row_and_field() -> None:
    huge = "x" * (importing.MAX_TEXT + 1)
    stream = _csv(TITLES, _row(1), _row(2, Description=huge))
    with pytest.raises(ImportFileError, match="row 3/description: a text of 100,001"):
        import_360giving(stream=stream, filename="g.csv")
    assert not ExternalGrant.objects.exists()


def test_a_huge_cell_in_an_extra_column_refuses_the_file() -> None:
    titles = [*TITLES, "Notes"]
    stream = _csv(titles, [*_row(1), "x" * (importing.MAX_TEXT + 1)])
    with pytest.raises(ImportFileError, match="row 2/Notes: a text of 100,001"):
        import_360giving(stream=stream, filename="g.csv")


def test_a_cell_of_the_longest_allowed_text_is_imported() -> None:
    longest = "x" * importing.MAX_TEXT
    result = import_360giving(stream=_csv(TITLES, _row(1, Description=longest)), filename="g.csv")
    assert result.created == 1
    assert ExternalGrant.objects.get().description == longest


def test_titles_nested_too_deep_refuse_the_file() -> None:
    deep = "/".join(f"part{level}" for level in range(importing.MAX_DEPTH + 2))
    stream = _csv([*TITLES, deep], [*_row(1), "value"])
    with pytest.raises(ImportFileError, match="nested more than 16 levels deep"):
        import_360giving(stream=stream, filename="g.csv")
    assert not ExternalGrant.objects.exists()


def _depth(node: Any) -> int:
    """How many lists and objects deep the deepest one below ``node`` is."""
    items = node.values() if isinstance(node, dict) else node
    below = [_depth(item) + 1 for item in items if isinstance(item, (dict, list))]
    return max(below, default=0)


@pytest.mark.parametrize(
    "titles",
    [
        TITLES,
        ["Identifier", "Beneficiary Location:0:Geographic Code", "Grant Programme:Title"],
        ["Identifier", "Classifications:0:Code", "Notes"],
        ["Identifier", "/".join(f"part{level}" for level in range(importing.MAX_DEPTH + 2))],
        ["Identifier", "Colour", ""],
    ],
)
def test_a_sheet_says_how_deep_its_rows_grants_can_be(titles: list[str]) -> None:
    columns = flat.SheetRows(titles, padded=True)
    grant, _unknown = columns.grant(["1;2,3"] * len(titles))
    assert columns.depth == _depth(grant)

"""What a file to import is: its standard's shape, refused with reasons, and read item by item."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson

from thrive.core.uploads import check_zip
from thrive.opendata import flat, lone_surrogates
from thrive.opendata.importing.guard import MAX_DEPTH, MAX_TEXT, ImportFileError


@dataclass
class Located:
    location: str
    grant: Any
    sheet: bool = False
    repaired: tuple[str, ...] = ()  # texts given U+FFFD for lone surrogates
    tame: bool = False  # known to hold no hostile content (``guard`` would pass it)


SCALARS = {"string", "number", "boolean", "null"}
OTHER_DATA = {  # a top-level key of another standard's file, and what that file is
    "grants": "360Giving grant data",
    "releases": "an OCDS release package",
    "records": "an OCDS record package",
    "ocid": "a single OCDS release without its package",
}


@dataclass(frozen=True)
class FileKind:
    """What one standard's file is, to refuse a file of another kind saying what it is."""

    standard: str  # "360Giving"
    lists: tuple[str, ...]  # the top-level lists its JSON file holds its items in
    expected: str  # what its file is, in words

    def refuse(self, looks_like: str) -> ImportFileError:
        return ImportFileError(
            f"This looks like {looks_like}, not {self.standard} data; {self.expected}."
        )

    def empty(self) -> ImportFileError:
        return ImportFileError(f"The file is empty; {self.expected}.")

    def refuse_empty(self, stream: IO[bytes]) -> None:
        start = stream.tell()
        empty = not stream.read(1)
        stream.seek(start)
        if empty:
            raise self.empty()

    def top(self, event: str, value: Any, keys: list[str]) -> None:
        """Take one parse event at the top of the file: refuse a list or a single value,
        note each key of an object."""
        if event == "start_array":
            raise self.refuse("a JSON list")
        if event in SCALARS:
            raise self.refuse("a single JSON value")
        if event == "map_key":
            keys.append(str(value))

    def looks_like(self, keys: list[str]) -> str:
        """What a JSON object without this standard's list looks like, from its keys."""
        for name in self.lists:
            if name in keys:
                return f'a JSON object whose "{name}" is not a list'
        for key, words in OTHER_DATA.items():
            if key in keys:
                return words
        if not keys:
            return "an empty JSON object"
        shown = ", ".join(f'"{key[:40]}"' for key in keys[:8])
        more = f" and {len(keys) - 8} more" if len(keys) > 8 else ""
        lists = " or ".join(f'"{name}"' for name in self.lists)
        return f"a JSON object with the keys {shown}{more} and no {lists} list"


THREESIXTY = FileKind(
    "360Giving",
    ("grants",),
    'a 360Giving file is a JSON object with a "grants" list, or a sheet whose first row '
    "holds 360Giving column titles such as Identifier",
)


def _check_json_shape(stream: IO[bytes]) -> None:
    """Refuse a JSON file with no top-level grants list, saying what it looks like instead.

    It reads only as far as the grants list (or an OCDS package's releases or records),
    then goes back to the start for the import itself.
    """
    start = stream.tell()
    keys: list[str] = []
    try:
        for prefix, event, value in ijson.parse(lone_surrogates.readable(stream)):
            if prefix == "":
                THREESIXTY.top(event, value, keys)
            elif prefix == "grants" and event == "start_array":
                break
            elif prefix in ("releases", "records") and event == "start_array":
                raise THREESIXTY.refuse(THREESIXTY.looks_like(keys))
        else:
            raise THREESIXTY.refuse(THREESIXTY.looks_like(keys))
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc
    stream.seek(start)


def _check_sheet_header(header: list[Any] | tuple[Any, ...] | None) -> None:
    """Refuse a sheet without an Identifier column, naming the columns it has."""
    titles = [str(title).strip() for title in header or () if title not in (None, "")]
    if "identifier" in {title.lower() for title in titles}:
        return
    if not titles:
        raise ImportFileError(f"The first row of the sheet is empty; {THREESIXTY.expected}.")
    if any(title.lower() == "ocid" or title.lower().startswith("releases/") for title in titles):
        raise THREESIXTY.refuse("OCDS contracting data flattened into a sheet")
    shown = ", ".join(f"'{title[:40]}'" for title in titles[:8])
    more = f" and {len(titles) - 8} more" if len(titles) > 8 else ""
    raise THREESIXTY.refuse(f"a sheet with no Identifier column (its columns are {shown}{more})")


def _read_json(stream: IO[bytes]) -> Iterator[Located]:
    _check_json_shape(stream)
    try:
        grants = lone_surrogates.json_items(stream, "grants.item")
        for index, (grant, repaired) in enumerate(grants):
            yield Located(f"grants/{index}", grant, repaired=repaired)
    except ijson.JSONError as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc


def _read_csv(stream: IO[bytes]) -> Iterator[Located]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        header = next(reader, None)
        _check_sheet_header(header)
        columns = flat.SheetRows(header or (), padded=True)  # titles resolved once
        # No grant from a row nests deeper than its titles say, nor holds a text longer
        # than its longest cell: a row of short cells needs no walk through its grant.
        shallow = columns.depth <= MAX_DEPTH
        # rows are numbered as read, a blank line skipped (as csv.DictReader skips it)
        for index, row in enumerate(filter(None, reader), start=2):
            grant, unknown = columns.grant(row)
            tame = shallow and max(map(len, row)) <= MAX_TEXT
            yield Located(f"row {index}", (grant, unknown), sheet=True, tame=tame)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportFileError(f"The file is not a readable UTF-8 CSV file: {exc}") from exc


def _read_xlsx(stream: IO[bytes]) -> Iterator[Located]:
    """The grants sheet's grants, joined with any sheet per list as flattentool writes them
    (``flat.read_workbook``); any failure to read the workbook is the file's."""
    from openpyxl import load_workbook  # lazy: a heavy reader, loaded only for an XLSX file

    try:
        check_zip(stream)  # an XLSX file is a zip: refuse a zip bomb before openpyxl opens it
        book = load_workbook(stream, read_only=True, data_only=True)
        for where, grant, unknown in flat.read_workbook(book, _check_sheet_header):
            yield Located(where, (grant, unknown), sheet=True)
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged workbook fails in many ways inside openpyxl
        raise ImportFileError(f"The file is not a readable XLSX workbook: {exc}") from exc


READERS: dict[str, Callable[[IO[bytes]], Iterator[Located]]] = {
    "json": _read_json,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
}


def format_of(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in READERS:
        raise ImportFileError("The file must be a .json, .xlsx or .csv 360Giving file")
    return suffix

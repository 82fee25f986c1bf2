"""Read a workbook's grants: one sheet row by row, or several sheets joined as flattentool
joins them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from thrive.opendata.flat.cells import resolve_column
from thrive.opendata.flat.rows import Group, SheetRows, grouped, plain


def _loose_items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every list item without an ``id`` in a grant read from one row, at any depth."""
    for value in node.values():
        if type(value) is Group:
            yield from value.loose
            for item in (*value.keyed.values(), *value.loose):
                yield from _loose_items(item)
        elif type(value) is dict:
            yield from _loose_items(value)


def _within(small: dict[str, Any], large: dict[str, Any]) -> bool:
    return all(key in large and large[key] == value for key, value in small.items())


def _drop_copy(group: Group, item: dict[str, Any], rolled: set[int]) -> int | None:
    """Take out of the group the rolled-up copy of ``item``; return where it was."""
    for number, each in enumerate(group.loose):
        if id(each) in rolled and _within(each, item):
            rolled.discard(id(each))
            del group.loose[number]
            return number
    return None


def _merge(base: dict[str, Any], other: dict[str, Any], rolled: set[int]) -> None:
    """Merge another sheet's row into a grant as flattentool's ``merge`` does: list items
    with the same ``id`` are one item, others are added; a value already there stays.

    One step past flattentool: an item without an ``id`` that the grants sheet holds in
    the columns flattentool's ``--rollup`` copies there (``rolled``) is the same item as
    the one in the list's own sheet holding all its values, not a second item.
    """
    for key, value in other.items():
        mine = base.get(key)
        if mine is None:
            base[key] = value
        elif type(value) is Group and type(mine) is Group:
            for item_key, item in value.keyed.items():
                if item_key in mine.keyed:
                    _merge(mine.keyed[item_key], item, rolled)
                else:
                    _drop_copy(mine, item, rolled)
                    mine.keyed[item_key] = item
            for item in value.loose:
                copy = _drop_copy(mine, item, rolled)
                mine.loose.insert(len(mine.loose) if copy is None else copy, item)
        elif type(value) is dict and type(mine) is dict:
            _merge(mine, value, rolled)


def workbook_grants(
    sheets: Iterable[tuple[str, Iterator[tuple[int, tuple[Any, ...]]]]],
) -> Iterator[tuple[str, dict[str, Any], list[str]]]:
    """The grants of a workbook of several sheets, each row joined to its grant by the
    ``Identifier`` column, as flattentool's ``unflatten`` joins them.

    ``sheets`` gives each sheet's name and numbered rows (the first row its titles), the
    grants sheet first. Yields (where the grant starts, grant, unknown column titles).
    """
    order: list[Any] = []
    grants: dict[Any, tuple[str, dict[str, Any], list[str]]] = {}
    rolled: set[int] = set()
    for position, (name, rows) in enumerate(sheets):
        header = next(rows, (1, None))[1]
        if not header:
            continue
        columns = SheetRows(header)
        for number, values in rows:
            if not any(v not in (None, "") for v in values):
                continue
            grant, unknown = columns.read(values)
            grant = grouped(grant)
            key = grant.get("id")
            try:
                hash(key)
            except TypeError:
                key = None
            if key is None or key not in grants:
                key = key if key is not None else object()
                order.append(key)
                grants[key] = (f"sheet {name}, row {number}", grant, unknown)
                if position == 0:
                    rolled.update(id(item) for item in _loose_items(grant))
                continue
            _merge(grants[key][1], grant, rolled)
            seen = grants[key][2]
            seen.extend(title for title in unknown if title not in seen)
    for key in order:
        where, grant, unknown = grants.pop(key)
        yield where, plain(grant), unknown


def _joins(header: Iterable[Any] | None) -> bool:
    """Whether a sheet's titles include the grant's Identifier, joining it to the grants."""
    return any(
        isinstance(title, str)
        and title.strip()
        and resolve_column(title.strip()).steps[:1] == (("id", None, "string"),)
        for title in header or ()
    )


def read_workbook(
    book: Any, check_header: Callable[[Any], None] | None = None
) -> Iterator[tuple[str, dict[str, Any], list[str]]]:
    """The grants of an XLSX workbook (openpyxl, read-only): (where, grant, unknown titles).

    The grants sheet is the one called "grants", else the first. A workbook of one grants
    sheet is read row by row as it streams; one with other sheets titled with the grant's
    Identifier (as flattentool writes a list per sheet) is joined as flattentool joins it.
    ``check_header`` may refuse the grants sheet's first row.
    """
    names = book.sheetnames
    main = "grants" if "grants" in names else names[0]
    rows = enumerate(book[main].iter_rows(values_only=True), start=1)
    header = next(rows, (1, None))[1]
    if check_header is not None:
        check_header(header)
    joined = [
        name
        for name in names
        if name != main and _joins(next(book[name].iter_rows(values_only=True), None))
    ]
    if joined:
        sheets = [(main, chain([(1, header)], rows))]
        sheets.extend(
            (name, enumerate(book[name].iter_rows(values_only=True), start=1)) for name in joined
        )
        yield from workbook_grants(sheets)
        return
    columns = SheetRows(header or ())
    for index, values in rows:
        if not any(v not in (None, "") for v in values):
            continue
        grant, unknown = columns.grant(values)
        yield f"row {index}", grant, unknown

"""Turn sheet rows into grants, each list item from its numbered columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thrive.opendata.flat.cells import LIST_DEPTH, TYPED, convert, resolve_column
from thrive.opendata.flat.schema import ARRAY


class _Items(dict):
    """A list being filled from numbered columns: item number -> item (flattentool's ListAsDict)."""


class Group:
    """A list's items once a row is read: those with an ``id`` merged by it, in order, then
    the rest (flattentool's TemporaryDict, so sheets merge the way it merges them)."""

    __slots__ = ("keyed", "loose")

    def __init__(self) -> None:
        self.keyed: dict[Any, dict[str, Any]] = {}
        self.loose: list[dict[str, Any]] = []

    def append(self, item: dict[str, Any]) -> None:
        key = item.get("id")
        try:
            hash(key)
        except TypeError:
            key = None
        if key is None:
            self.loose.append(item)
        elif key in self.keyed:
            self.keyed[key].update(item)
        else:
            self.keyed[key] = item


def _place_at(
    grant: dict[str, Any], parents: tuple[tuple[str, int | None, str], ...], name: str, value: Any
) -> bool:
    """Put the value at ``name`` below the ``parents`` steps of a column; False when another
    column already made that place a list, object or value of another shape (flattentool
    then ignores the column)."""
    node: Any = grant
    for step, number, kind in parents:
        child = node.get(step)
        if kind == ARRAY:
            if child is None:
                child = node[step] = _Items()
            elif type(child) is not _Items:
                return False
            node = child.setdefault(number, {})
        else:
            if child is None:
                child = node[step] = {}
            elif type(child) is not dict:
                return False
            node = child
    if isinstance(node.get(name), dict):
        return False
    node[name] = value
    return True


def grouped(node: dict[str, Any]) -> dict[str, Any]:
    """Turn a row's numbered items into groups and drop empty objects."""
    for key, value in list(node.items()):
        if type(value) is _Items:
            group = Group()
            for number in sorted(value):
                item = grouped(value[number])
                if item:
                    group.append(item)
            node[key] = group
        elif type(value) is dict and not grouped(value):
            del node[key]
    return node


def plain(node: dict[str, Any]) -> dict[str, Any]:
    """The grant with every group made a plain list."""
    for key, value in node.items():
        if type(value) is Group:
            node[key] = [plain(item) for item in (*value.keyed.values(), *value.loose)]
        elif type(value) is dict:
            plain(value)
    return node


def _finished(node: dict[str, Any]) -> dict[str, Any]:
    """``plain(grouped(node))`` in one walk, for a grant read from one row alone."""
    for key, value in list(node.items()):
        if type(value) is _Items:
            if len(value) == 1:  # most lists in a row: one item, nothing to merge
                only = _finished(next(iter(value.values())))
                node[key] = [only] if only else []
                continue
            group = Group()
            for number in sorted(value):
                item = _finished(value[number])
                if item:
                    group.append(item)
            node[key] = [*group.keyed.values(), *group.loose]
        elif type(value) is dict and not _finished(value):
            del node[key]
    return node


class SheetRows:
    """A sheet's column titles resolved once, to turn each of its rows into a grant.

    A row is a sequence of cells in the order of the titles, read as the mapping
    ``dict(zip(titles, cells))`` would be: a title that repeats holds the cell of its last
    column the row reaches, in its first column's place. With ``padded``, a row shorter
    than the titles is read as if its missing cells were there and empty, as
    ``csv.DictReader`` reads it.
    """

    def __init__(self, header: Iterable[Any], *, padded: bool = False) -> None:
        self.padded = padded
        columns: dict[Any, list[int]] = {}
        for index, title in enumerate(header):
            columns.setdefault(title, []).append(index)
        self.width = sum(len(indexes) for indexes in columns.values())
        # (cell index, title as read, its kind or None when unusable, whether it is a
        # 360Giving field, the steps to its parent, its own name, its earlier columns)
        self.plan: list[tuple[int, str, str | None, bool, tuple[Any, ...], str, list[int]]] = []
        for title, indexes in columns.items():
            heading = "" if title is None else str(title).strip()
            if not heading:
                continue
            column = resolve_column(heading)
            kind = column.kind if column.usable else None
            parents, name = (column.steps[:-1], column.steps[-1][0]) if column.usable else ((), "")
            index, *earlier = indexes[::-1]
            self.plan.append((index, str(title), kind, column.known, parents, name, earlier))
        # How many lists and objects deep a value can be in a grant read from one row: an
        # object for each step, a list too for a list's step, and a list value's own lists.
        self.depth = max(
            (
                sum(2 if step[2] == ARRAY else 1 for step in parents) + LIST_DEPTH.get(kind, 0)
                for _index, _title, kind, _known, parents, _name, _earlier in self.plan
                if kind is not None
            ),
            default=0,
        )

    def read(self, cells: Any) -> tuple[dict[str, Any], list[str]]:
        """The row as a grant whose lists are still groups, and its unknown columns' titles."""
        grant: dict[str, Any] = {}
        unknown: list[str] = []
        if len(cells) < self.width:
            cells = self._lengthened(cells)
        for index, title, kind, known, parents, name, _earlier in self.plan:
            raw = cells[index]
            if raw is None or raw == "":
                continue
            if not known:
                unknown.append(title)
            if kind is None:
                continue
            if type(raw) is str:  # a CSV cell: only a typed field changes it
                typed = TYPED.get(kind)
                value = raw if typed is None else typed(raw)
            else:
                value = convert(kind, raw)
            if value is None or value == "":
                continue
            if parents:
                _place_at(grant, parents, name, value)
            elif not isinstance(grant.get(name), dict):
                grant[name] = value
        return grant, unknown

    def _lengthened(self, cells: Any) -> list[Any]:
        """A short row's cells as many as the titles: each title's cell where ``read`` looks
        for it (empty when padded, else from the title's last column the row reaches)."""
        count = len(cells)
        full = [*cells, *[None] * (self.width - count)]
        for index, *_, earlier in self.plan if not self.padded else ():
            reached = [i for i in earlier if i < count] if index >= count else []
            if reached:
                full[index] = cells[reached[0]]
        return full

    def grant(self, cells: Any) -> tuple[dict[str, Any], list[str]]:
        """The row as a grant, its lists plain lists, and its unknown columns' titles."""
        grant, unknown = self.read(cells)
        return _finished(grant), unknown


def row_to_grant(row: dict[Any, Any]) -> tuple[dict[str, Any], list[str]]:
    """Turn one sheet row into a grant; return it and the titles of columns that are no
    360Giving field (their values are kept, where flattentool would put them)."""
    return SheetRows(row).grant(list(row.values()))

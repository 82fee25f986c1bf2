"""The 360Giving spreadsheet form: column titles and the places in a grant they fill.

Funders publish 360Giving as JSON or as sheets whose column titles come from the
schema's ``title``s, joined with ``:`` the way the 360Giving community's converter,
flattentool, makes them (``Recipient Org:Charity Number``, ``Beneficiary Location:1:Name``).
Every title here is derived from the official schema as flattentool derives it, so this
module reads any title flattentool reads (in any case, spaces ignored, numbered or not,
or a JSON path such as ``recipientOrganization/0/id``) and writes titles flattentool reads
back with nothing lost: each list item in its own numbered columns, in one sheet.

A workbook that flattentool itself wrote (the grants sheet and a sheet per list, joined by
the grant's ``Identifier``) is read by ``workbook_grants``, which merges the sheets the way
flattentool's ``unflatten`` does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from itertools import chain
from typing import Any

SCHEMA = "360giving/schema/360-giving-schema.json"
ARRAY = "array"
OBJECT = "object"
LEAF_KINDS = {"string", "date", "number", "integer", "boolean"}
LIST_KINDS = {"string_array", "number_array", "array_array"}
LARGEST_DIGITS = 30


# --- the schema, as flattentool walks it -------------------------------------------


@dataclass(frozen=True)
class Field:
    """One leaf of the grant schema.

    ``names`` are the property names from the grant down; ``lists`` the positions in
    ``names`` that are lists of objects (an item number follows them in a column title);
    ``titles`` the schema title of each step, or None when a step has none (flattentool
    then writes and reads the field by its JSON path); ``kind`` flattentool's type.
    """

    names: tuple[str, ...]
    lists: frozenset[int]
    titles: tuple[str, ...] | None
    kind: str

    def title(self, numbers: tuple[int, ...] = ()) -> str:
        """The column title, numbering each list with ``numbers`` (item 0 when not given)."""
        steps = self.titles if self.titles is not None else self.names
        parts: list[str] = []
        position = 0
        for index, step in enumerate(steps):
            parts.append(step)
            if index in self.lists:
                parts.append(str(numbers[position] if position < len(numbers) else 0))
                position += 1
        return ("/" if self.titles is None else ":").join(parts)


class _Lookup(dict):
    """flattentool's TitleLookup: normalised title -> the property and its children's titles."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.name = name


def _normal(title: str) -> str:
    """A title as flattentool compares them: without spaces, in lower case."""
    return title.replace(" ", "").lower()


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("type", [])
    return set(kind) if isinstance(kind, list) else {kind}


@dataclass(frozen=True)
class Standard:
    """The grant schema walked once: its fields, title lookup and the type at each path."""

    fields: tuple[Field, ...]
    lookup: _Lookup
    kinds: dict[tuple[str, ...], str]
    order: dict[tuple[str, ...], int]


def _kind(prop: dict[str, Any], items: dict[str, Any]) -> str:
    """flattentool's type for a property: object, array (of objects), a leaf or ''."""
    types = _types(prop)
    if OBJECT in types:
        return OBJECT
    if ARRAY in types:
        item_types = _types(items)
        if "string" in item_types or not item_types:
            return "string_array"
        if "number" in item_types:
            return "number_array"
        return "array_array" if ARRAY in item_types else ARRAY
    if "string" in types or not types:
        return "date" if prop.get("format") == "date" else "string"
    return next((kind for kind in ("number", "integer", "boolean") if kind in types), "")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The schema a local ``$ref`` points to, and the title written beside the ``$ref``
    (flattentool prefers that one)."""
    sibling_title = node.get("title") if "$ref" in node else None
    seen = 0
    while "$ref" in node and seen < 20:
        target: Any = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node, seen = target, seen + 1
    return node, sibling_title


def _walk_schema(schema: dict[str, Any]) -> Standard:
    """Port of flattentool's ``SchemaParser.parse_schema_dict`` for titles and types."""
    root = _Lookup()
    fields: list[Field] = []
    kinds: dict[tuple[str, ...], str] = {}

    def walk(
        node: dict[str, Any],
        names: tuple[str, ...],
        lists: frozenset[int],
        titles: tuple[str, ...] | None,
        lookup: _Lookup | None,
    ) -> None:
        lookup = root if lookup is None else lookup
        for name, raw in node.get("properties", {}).items():
            prop, sibling_title = _resolve(schema, raw)
            title = sibling_title or prop.get("title")
            if title:
                lookup[_normal(title)] = _Lookup(name)
            child_lookup = lookup.get(_normal(title)) if title else None
            path = (*names, name)
            child_titles = (*titles, title) if titles is not None and title else None
            items, _ = _resolve(schema, prop.get("items", {}))
            kind = _kind(prop, items)
            if kind == OBJECT:
                kinds[path] = OBJECT
                walk(prop, path, lists, child_titles, child_lookup)
            elif kind == ARRAY:
                kinds[path] = ARRAY
                walk(items, path, lists | {len(path) - 1}, child_titles, child_lookup)
            elif kind:
                kinds[path] = kind
                fields.append(Field(path, lists, child_titles, kind))

    walk(schema, (), frozenset(), (), None)
    order = {}
    for position, each in enumerate(fields):
        for depth in range(1, len(each.names) + 1):
            order.setdefault(each.names[:depth], position)
    return Standard(tuple(fields), root, kinds, order)


@cache
def standard() -> Standard:
    """The official grant schema's fields and titles (read once)."""
    from thrive.opendata.standards import standards_dir

    return _walk_schema(json.loads((standards_dir() / SCHEMA).read_text(encoding="utf-8")))


def titles() -> list[str]:
    """Every field's column title, lists at item 0 unnumbered, as flattentool's template."""
    return [each.title() if each.titles is None else ":".join(each.titles) for each in fields()]


def fields() -> tuple[Field, ...]:
    return standard().fields


# --- reading a row ---------------------------------------------------------------


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def _lookup_header(lookup: _Lookup, parts: list[str]) -> list[str]:
    """Port of flattentool's ``TitleLookup.lookup_header_list``: titles to property names.

    A number passes through; the first part that is not a title makes it and the rest
    field names as written (a JSON path, or a publisher's own column).
    """
    first, rest = parts[0], parts[1:]
    if _is_int(first):
        return [first, *(_lookup_header(lookup, rest) if rest else [])]
    child = lookup.get(_normal(first))
    if child is not None:
        return [child.name, *(_lookup_header(child, rest) if rest else [])]
    return [part.strip(" ") for part in parts]


@dataclass(frozen=True)
class _Column:
    """Where a column's values go: (name, item number or None) steps, and the leaf's kind."""

    steps: tuple[tuple[str, int | None, str], ...]
    kind: str
    known: bool
    usable: bool


@lru_cache(maxsize=4096)
def _column(title: str) -> _Column:
    """Resolve a column title as flattentool's ``unflatten`` does, once per title."""
    spec = standard()
    names = "/".join(_lookup_header(spec.lookup, title.split(":"))).split("/")
    names = [name.removesuffix("[]") for name in names]
    steps: list[tuple[str, int | None, str]] = []
    path: tuple[str, ...] = ()
    usable = bool(names) and not _is_int(names[0])
    position = 0
    while usable and position < len(names):
        name = names[position]
        position += 1
        if _is_int(name):
            continue
        path = (*path, name)
        kind = spec.kinds.get(path, "")
        following = names[position] if position < len(names) else None
        number = None
        if following is not None and _is_int(following):
            if kind and kind != ARRAY:
                usable = False  # flattentool refuses a number after a field that is no list
                break
            number, kind = int(following), ARRAY
        elif kind == ARRAY:
            number = -1  # an unnumbered title fills the item before any numbered one
        if following is None and kind in (ARRAY, OBJECT):
            usable = False  # a column cannot hold a whole list or object
        elif following is not None and kind not in ("", ARRAY, OBJECT):
            usable = False  # a field with a value cannot have parts
        steps.append((name, number, kind if kind in (ARRAY, OBJECT) else OBJECT))
    leaf_kind = spec.kinds.get(path, "") if usable else ""
    known = usable and (leaf_kind in LEAF_KINDS or leaf_kind in LIST_KINDS)
    if usable:
        steps[-1] = (steps[-1][0], None, leaf_kind)
    return _Column(tuple(steps), leaf_kind, known, usable)


def _number(value: Any, integral: bool = False) -> Any:
    """A number as published (int when whole), or the text unchanged for the schema to name."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        number = Decimal(repr(value))
    else:
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            return str(value)
    if not number.is_finite() or number.adjusted() > LARGEST_DIGITS:
        return str(value)  # not a number any amount could be (and no billion-digit int)
    if number == number.to_integral_value():
        return int(number)
    return str(value) if integral else number


def _when(value: dt.datetime) -> str:
    """An Excel date and time as flattentool writes it: in UTC, with its offset."""
    return value.replace(tzinfo=dt.UTC).isoformat() if value.tzinfo is None else value.isoformat()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _yes_no(value: Any) -> Any:
    word = str(value).lower()
    return True if word in ("true", "1") else False if word in ("false", "0") else str(value)


LIST_DEPTH = {"string_array": 1, "number_array": 1, "array_array": 2}  # a list value's lists

TYPED: dict[str, Callable[[Any], Any]] = {
    "number": _number,
    "integer": lambda value: _number(value, integral=True),
    "boolean": _yes_no,
    "string_array": lambda value: str(value).split(";"),
    "number_array": lambda value: [_number(part) for part in str(value).split(";")],
    "array_array": lambda value: [part.split(",") for part in str(value).split(";")],
}


def convert(kind: str, value: Any) -> Any:
    """A cell's value as flattentool's ``convert_type`` makes it for a field of ``kind``.

    Excel dates become ISO dates (``date`` fields) or date-times in UTC (text fields, as
    flattentool writes them), never a time without a zone. Numbers are kept whole
    (an ``int`` when whole), and text in a number column is left as text for the schema
    check to name.
    """
    if value is None or value == "":
        return None
    if kind in TYPED:
        return TYPED[kind](value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if kind == "date" else _when(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if kind == "" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return _text(value)


class _Items(dict):
    """A list being filled from numbered columns: item number -> item (flattentool's ListAsDict)."""


class _Group:
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


def _grouped(node: dict[str, Any]) -> dict[str, Any]:
    """Turn a row's numbered items into groups and drop empty objects."""
    for key, value in list(node.items()):
        if type(value) is _Items:
            group = _Group()
            for number in sorted(value):
                item = _grouped(value[number])
                if item:
                    group.append(item)
            node[key] = group
        elif type(value) is dict and not _grouped(value):
            del node[key]
    return node


def _plain(node: dict[str, Any]) -> dict[str, Any]:
    """The grant with every group made a plain list."""
    for key, value in node.items():
        if type(value) is _Group:
            node[key] = [_plain(item) for item in (*value.keyed.values(), *value.loose)]
        elif type(value) is dict:
            _plain(value)
    return node


def _finished(node: dict[str, Any]) -> dict[str, Any]:
    """``_plain(_grouped(node))`` in one walk, for a grant read from one row alone."""
    for key, value in list(node.items()):
        if type(value) is _Items:
            if len(value) == 1:  # most lists in a row: one item, nothing to merge
                only = _finished(next(iter(value.values())))
                node[key] = [only] if only else []
                continue
            group = _Group()
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
            column = _column(heading)
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


def _loose_items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every list item without an ``id`` in a grant read from one row, at any depth."""
    for value in node.values():
        if type(value) is _Group:
            yield from value.loose
            for item in (*value.keyed.values(), *value.loose):
                yield from _loose_items(item)
        elif type(value) is dict:
            yield from _loose_items(value)


def _within(small: dict[str, Any], large: dict[str, Any]) -> bool:
    return all(key in large and large[key] == value for key, value in small.items())


def _drop_copy(group: _Group, item: dict[str, Any], rolled: set[int]) -> int | None:
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
        elif type(value) is _Group and type(mine) is _Group:
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
            grant = _grouped(grant)
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
        yield where, _plain(grant), unknown


def _joins(header: Iterable[Any] | None) -> bool:
    """Whether a sheet's titles include the grant's Identifier, joining it to the grants."""
    return any(
        isinstance(title, str)
        and title.strip()
        and _column(title.strip()).steps[:1] == (("id", None, "string"),)
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


# --- writing ----------------------------------------------------------------------


class Layout:
    """The columns a set of grants needs: every field any of them has, in the schema's
    order, each list numbered from 0 for as many items as the grant with the most has.

    A publisher's own fields (not in the schema) follow, under their JSON paths, which
    flattentool reads back to the same place.
    """

    def __init__(self) -> None:
        self.counts: dict[tuple[str, ...], int] = {}
        self.leaves: set[tuple[str, ...]] = set()
        self.extra: dict[tuple[str | int, ...], None] = {}

    def add(self, grant: dict[str, Any]) -> Layout:
        self._add(grant, (), ())
        return self

    def _add(self, node: dict[str, Any], names: tuple[str, ...], path: tuple) -> None:
        kinds = standard().kinds
        for key, value in node.items():
            here = (*names, key)
            kind = kinds.get(here)
            if kind is None:
                self._extra(value, (*path, key))
            elif kind == ARRAY and isinstance(value, list):
                self._add_items(value, here, (*path, key))
            elif kind == OBJECT and isinstance(value, dict):
                self._add(value, here, (*path, key))
            elif kind in (ARRAY, OBJECT):
                self._extra(value, (*path, key))
            elif value is not None:
                self.leaves.add(here)

    def _add_items(self, items: list[Any], names: tuple[str, ...], path: tuple) -> None:
        self.counts[names] = max(len(items), self.counts.get(names, 0))
        for number, item in enumerate(items):
            if isinstance(item, dict):
                self._add(item, names, (*path, number))
            else:
                self._extra(item, (*path, number))

    def _extra(self, value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                self._extra(item, (*path, key))
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            for number, item in enumerate(value):
                self._extra(item, (*path, number))
        elif value is not None:
            self.extra.setdefault(path, None)

    def columns(self) -> list[tuple[str, tuple[str | int, ...]]]:
        """(title, place in the grant) for every column, in order."""
        columns: list[tuple[str, tuple[str | int, ...]]] = []
        for each in fields():
            if each.names not in self.leaves:
                continue
            self._numbered(each, 0, (), columns)
        columns.sort(key=lambda column: _position(column[1]))
        for path in self.extra:
            columns.append(("/".join(str(step) for step in path), path))
        return columns

    def _numbered(
        self,
        each: Field,
        start: int,
        numbers: tuple[int, ...],
        columns: list[tuple[str, tuple[str | int, ...]]],
    ) -> None:
        lists = sorted(index for index in each.lists if index >= start)
        if not lists:
            place: list[str | int] = []
            for index, name in enumerate(each.names):
                place.append(name)
                if index in each.lists:
                    place.append(numbers[sorted(each.lists).index(index)])
            columns.append((each.title(numbers), tuple(place)))
            return
        first = lists[0]
        for number in range(max(1, self.counts.get(each.names[: first + 1], 0))):
            self._numbered(each, first + 1, (*numbers, number), columns)


def _position(place: tuple[str | int, ...]) -> tuple[Any, ...]:
    """Sort key: each list's items together, item by item, fields in the schema's order."""
    order = standard().order
    key: list[Any] = []
    names: tuple[str, ...] = ()
    for step in place:
        if isinstance(step, int):
            key.append(step)
        else:
            names = (*names, step)
            key.append(order.get(names, len(order)))
    return tuple(key)


def layout_of(grants: Iterable[dict[str, Any]]) -> Layout:
    layout = Layout()
    for grant in grants:
        layout.add(grant)
    return layout


def cell(value: Any) -> Any:
    """A value as a sheet cell: lists of texts joined with ';' as flattentool joins them."""
    if isinstance(value, list):
        return ";".join(
            ",".join(map(str, item)) if isinstance(item, list) else str(item) for item in value
        )
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def _get(grant: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = grant
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def grant_to_row(
    grant: dict[str, Any], columns: list[tuple[str, tuple[str | int, ...]]]
) -> list[Any]:
    """The sheet row for a grant, in the order of ``columns`` (``Layout.columns``)."""
    return [cell(_get(grant, path)) for _, path in columns]


def sheet(grants: Iterable[dict[str, Any]]) -> tuple[list[str], Iterator[list[Any]]]:
    """Any grants (360Giving grant objects) as one flat sheet: its titles and rows.

    Every field any grant has gets a column, titled as flattentool titles it, each list
    item in its own numbered columns; flattentool's ``unflatten`` (and ``row_to_grant``)
    turn each row back into the same grant.
    """
    grants = grants if isinstance(grants, list) else list(grants)
    columns = layout_of(grants).columns()
    return [title for title, _ in columns], (grant_to_row(grant, columns) for grant in grants)


# The council's own export writes these fields (as the schema titles them), each list
# numbered, so its sheets have the same columns whichever grants it holds.
EXPORT_FIELDS: list[tuple[str, ...]] = [
    ("id",),
    ("title",),
    ("description",),
    ("currency",),
    ("amountAppliedFor",),
    ("amountAwarded",),
    ("amountDisbursed",),
    ("awardDate",),
    ("url",),
    ("plannedDates", "startDate"),
    ("plannedDates", "endDate"),
    ("plannedDates", "duration"),
    ("recipientOrganization", "id"),
    ("recipientOrganization", "name"),
    ("recipientOrganization", "charityNumber"),
    ("recipientOrganization", "companyNumber"),
    ("recipientOrganization", "postalCode"),
    ("recipientOrganization", "url"),
    ("beneficiaryLocation", "name"),
    ("beneficiaryLocation", "countryCode"),
    ("beneficiaryLocation", "geoCode"),
    ("beneficiaryLocation", "geoCodeType"),
    ("fundingOrganization", "id"),
    ("fundingOrganization", "name"),
    ("fundingOrganization", "department"),
    ("grantProgramme", "code"),
    ("grantProgramme", "title"),
    ("classifications", "vocabulary"),
    ("classifications", "code"),
    ("classifications", "title"),
    ("fromOpenCall",),
    ("dateModified",),
    ("dataSource",),
]


def export_columns(items: dict[str, int]) -> list[tuple[str, tuple[str | int, ...]]]:
    """The titles and places the council's export writes: every list numbered from 0, as
    flattentool reads them, with ``items[key]`` items (at least one) of each list."""
    layout = Layout()
    layout.leaves.update(EXPORT_FIELDS)
    for names in EXPORT_FIELDS:
        if len(names) > 1:
            layout.counts[names[:1]] = max(1, items.get(names[0], 1))
    return layout.columns()


def column_for(pointer: str) -> str | None:
    """The sheet column a JSON location like 'recipientOrganization/0/id' came from."""
    parts = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/") if p]
    names = tuple(p for p in parts if isinstance(p, str))
    numbers = tuple(p for p in parts if isinstance(p, int))
    for each in fields():
        if each.names == names and len(numbers) == len(each.lists):
            return each.title(numbers)
    return None

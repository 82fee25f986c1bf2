"""A column title resolved to its place in a grant, and a cell's value as its field's type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from thrive.opendata.flat.schema import (
    ARRAY,
    LARGEST_DIGITS,
    LEAF_KINDS,
    LIST_KINDS,
    OBJECT,
    Lookup,
    normal,
    standard,
)


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def _lookup_header(lookup: Lookup, parts: list[str]) -> list[str]:
    """Port of flattentool's ``TitleLookup.lookup_header_list``: titles to property names.

    A number passes through; the first part that is not a title makes it and the rest
    field names as written (a JSON path, or a publisher's own column).
    """
    first, rest = parts[0], parts[1:]
    if _is_int(first):
        return [first, *(_lookup_header(lookup, rest) if rest else [])]
    child = lookup.get(normal(first))
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
def resolve_column(title: str) -> _Column:
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

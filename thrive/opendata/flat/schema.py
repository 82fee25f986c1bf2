"""The 360Giving grant schema as flattentool walks it: fields, titles and types."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from thrive.opendata.standards import standards_dir

SCHEMA = "360giving/schema/360-giving-schema.json"
ARRAY = "array"
OBJECT = "object"
LEAF_KINDS = {"string", "date", "number", "integer", "boolean"}
LIST_KINDS = {"string_array", "number_array", "array_array"}
LARGEST_DIGITS = 30


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


class Lookup(dict):
    """flattentool's TitleLookup: normalised title -> the property and its children's titles."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.name = name


def normal(title: str) -> str:
    """A title as flattentool compares them: without spaces, in lower case."""
    return title.replace(" ", "").lower()


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("type", [])
    return set(kind) if isinstance(kind, list) else {kind}


@dataclass(frozen=True)
class Standard:
    """The grant schema walked once: its fields, title lookup and the type at each path."""

    fields: tuple[Field, ...]
    lookup: Lookup
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
    root = Lookup()
    fields: list[Field] = []
    kinds: dict[tuple[str, ...], str] = {}

    def walk(
        node: dict[str, Any],
        names: tuple[str, ...],
        lists: frozenset[int],
        titles: tuple[str, ...] | None,
        lookup: Lookup | None,
    ) -> None:
        lookup = root if lookup is None else lookup
        for name, raw in node.get("properties", {}).items():
            prop, sibling_title = _resolve(schema, raw)
            title = sibling_title or prop.get("title")
            if title:
                lookup[normal(title)] = Lookup(name)
            child_lookup = lookup.get(normal(title)) if title else None
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
    return _walk_schema(json.loads((standards_dir() / SCHEMA).read_text(encoding="utf-8")))


def titles() -> list[str]:
    """Every field's column title, lists at item 0 unnumbered, as flattentool's template."""
    return [each.title() if each.titles is None else ":".join(each.titles) for each in fields()]


def fields() -> tuple[Field, ...]:
    return standard().fields

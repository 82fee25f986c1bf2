"""Write grants as one flat sheet, titled as flattentool titles them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from thrive.opendata.flat.schema import ARRAY, OBJECT, Field, fields, standard


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

"""The 360Giving spreadsheet form: column titles and the places in a grant they fill.

Funders publish 360Giving as JSON or as a flat sheet with these standard column
titles. Export writes them; import reads them back into grant objects.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

# (column title, path in the grant, kind). An integer steps into an item of a list: a title
# without a number ("Beneficiary Location:Name") is the first item, as flattentool reads it;
# a numbered title ("Beneficiary Location:1:Name") is that item, as flattentool writes it.
COLUMNS: list[tuple[str, tuple[str | int, ...], str]] = [
    ("Identifier", ("id",), "text"),
    ("Title", ("title",), "text"),
    ("Description", ("description",), "text"),
    ("Currency", ("currency",), "text"),
    ("Amount Applied For", ("amountAppliedFor",), "number"),
    ("Amount Awarded", ("amountAwarded",), "number"),
    ("Amount Disbursed", ("amountDisbursed",), "number"),
    ("Award Date", ("awardDate",), "text"),
    ("URL", ("url",), "text"),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate"), "text"),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate"), "text"),
    ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration"), "number"),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id"), "text"),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name"), "text"),
    ("Recipient Org:Charity Number", ("recipientOrganization", 0, "charityNumber"), "text"),
    ("Recipient Org:Company Number", ("recipientOrganization", 0, "companyNumber"), "text"),
    ("Recipient Org:Postal Code", ("recipientOrganization", 0, "postalCode"), "text"),
    ("Recipient Org:Web Address", ("recipientOrganization", 0, "url"), "text"),
    ("Beneficiary Location:Name", ("beneficiaryLocation", 0, "name"), "text"),
    ("Beneficiary Location:Country Code", ("beneficiaryLocation", 0, "countryCode"), "text"),
    ("Beneficiary Location:Geographic Code", ("beneficiaryLocation", 0, "geoCode"), "text"),
    (
        "Beneficiary Location:Geographic Code Type",
        ("beneficiaryLocation", 0, "geoCodeType"),
        "text",
    ),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id"), "text"),
    ("Funding Org:Name", ("fundingOrganization", 0, "name"), "text"),
    ("Funding Org:Department", ("fundingOrganization", 0, "department"), "text"),
    ("Grant Programme:Code", ("grantProgramme", 0, "code"), "text"),
    ("Grant Programme:Title", ("grantProgramme", 0, "title"), "text"),
    ("Classifications:Vocabulary", ("classifications", 0, "vocabulary"), "text"),
    ("Classifications:Code", ("classifications", 0, "code"), "text"),
    ("Classifications:Title", ("classifications", 0, "title"), "text"),
    ("From An Open Call?", ("fromOpenCall",), "text"),
    ("Last Modified", ("dateModified",), "text"),
    ("Data Source", ("dataSource",), "text"),
]
TITLES = {title.lower(): (path, kind) for title, path, kind in COLUMNS}
COLUMN_FOR_PATH = {path: title for title, path, _ in COLUMNS}
NUMBERED = re.compile(r"^(?P<group>[^:]+):(?P<index>\d+):(?P<field>.+)$")
MOST_ITEMS = 1000  # a numbered title past this is not a column this reader fills


def _numbered(title: str) -> tuple[str, int] | None:
    """The unnumbered title and the item number of a title like 'Beneficiary Location:1:Name'."""
    match = NUMBERED.match(title)
    if match is None or int(match["index"]) >= MOST_ITEMS:
        return None
    return f"{match['group']}:{match['field']}", int(match["index"])


def _known_title(title: str) -> tuple[tuple[str | int, ...], str] | None:
    """The place in a grant a column title fills, and its kind; None for an unknown title."""
    known = TITLES.get(title)
    if known is not None:
        return known
    numbered = _numbered(title)
    if numbered is None:
        return None
    base, index = numbered
    known = TITLES.get(base)
    if known is None or len(known[0]) < 2 or not isinstance(known[0][1], int):
        return None
    path, kind = known
    return (path[0], index, *path[2:]), kind


def export_columns(items: dict[str, int]) -> list[tuple[str, tuple[str | int, ...]]]:
    """The titles and places an export writes: every list numbered from 0, as flattentool
    writes them, with ``items[key]`` items (at least one) of each list, item by item."""
    columns: list[tuple[str, tuple[str | int, ...]]] = []
    position = 0
    while position < len(COLUMNS):
        title, path, _ = COLUMNS[position]
        if len(path) < 2 or not isinstance(path[1], int):
            columns.append((title, path))
            position += 1
            continue
        block = [c for c in COLUMNS[position:] if c[1][0] == path[0]]
        for index in range(max(1, items.get(str(path[0]), 1))):
            for each_title, each_path, _ in block:
                group, field = each_title.split(":", 1)
                columns.append((f"{group}:{index}:{field}", (path[0], index, *each_path[2:])))
        position += len(block)
    return columns


def _number(text: str) -> Any:
    """A number as published, or the text unchanged (the schema then names the problem)."""
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return text
    return int(value) if value == value.to_integral_value() else value


def _put(grant: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = grant
    for step, following in pairwise(path):
        if isinstance(step, int):
            while len(node) <= step:
                node.append({})
            node = node[step]
        else:
            node = node.setdefault(step, [] if isinstance(following, int) else {})
    node[path[-1]] = value


def row_to_grant(row: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Turn one sheet row into a grant; return it and the unknown column titles."""
    grant: dict[str, Any] = {}
    unknown = []
    for title, raw in row.items():
        if title is None:
            continue
        known = _known_title(str(title).strip().lower())
        if known is None:
            if raw not in (None, ""):
                unknown.append(str(title))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        path, kind = known
        value = raw
        if hasattr(raw, "isoformat"):
            value = raw.isoformat()
        elif kind == "number" and isinstance(raw, str):
            value = _number(raw)
        elif kind == "text" and not isinstance(raw, str):
            value = str(raw)
        _put(grant, path, value)
    return _without_gaps(grant), unknown


def _without_gaps(grant: dict[str, Any]) -> dict[str, Any]:
    """Drop the empty items numbered columns leave when they skip one (only ':2:' filled)."""
    for key, items in grant.items():
        if isinstance(items, list) and {} in items:
            grant[key] = [item for item in items if item != {}]
    return grant


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
    """The sheet row for a grant, in the order of ``columns`` (from ``export_columns``)."""
    return [_get(grant, path) for _, path in columns]


def column_for(pointer: str) -> str | None:
    """The sheet column a JSON location like 'recipientOrganization/0/id' came from."""
    parts = tuple(int(p) if p.isdigit() else p for p in pointer.strip("/").split("/") if p)
    title = COLUMN_FOR_PATH.get(parts)
    if title is None and len(parts) > 2 and isinstance(parts[1], int):
        first = COLUMN_FOR_PATH.get((parts[0], 0, *parts[2:]))
        if first is not None:
            group, field = first.split(":", 1)
            title = f"{group}:{parts[1]}:{field}"
    return title

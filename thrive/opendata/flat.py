"""The 360Giving spreadsheet form: column titles and the places in a grant they fill.

Funders publish 360Giving as JSON or as a flat sheet with these standard column
titles. Export writes them; import reads them back into grant objects.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

# (column title, path in the grant, kind). "[0]" steps into the first item of a list.
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
        known = TITLES.get(str(title).strip().lower())
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
    return grant, unknown


def _get(grant: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = grant
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def grant_to_row(grant: dict[str, Any]) -> list[Any]:
    """The sheet row for a grant, in COLUMNS order."""
    return [_get(grant, path) for _, path, _ in COLUMNS]


def column_for(pointer: str) -> str | None:
    """The sheet column a JSON location like 'recipientOrganization/0/id' came from."""
    parts = tuple(int(p) if p.isdigit() else p for p in pointer.strip("/").split("/") if p)
    return COLUMN_FOR_PATH.get(parts)

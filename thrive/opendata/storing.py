"""Store imported 360Giving grants in batches, every field kept as published.

The import loop (``importing``) checks each grant; this module turns a usable grant into
its row and writes rows in batches with one ``executemany`` each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
from django.db import connection
from django.db.models import Model

from thrive.opendata.models import (
    ExternalGrant,
    ExternalGrantClassification,
    ExternalGrantLocation,
    PublishedJSONEncoder,
)

if TYPE_CHECKING:
    from thrive.opendata.importing import ImportResult

BATCH = 1000
TEXT_LENGTH = 500  # titles and names longer than this are shortened, with a warning
PENNY = Decimal("0.01")


def _first(grant: dict[str, Any], key: str) -> dict[str, Any]:
    items = grant.get(key)
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


WRITTEN = [
    "grant_id",
    "title",
    "currency",
    "amount_awarded",
    "award_date",
    "funder_org_id",
    "funder_name",
    "recipient_org_id",
    "recipient_name",
    "recipient",
    "programme",
    "warnings",
    "import_run",
    "recipient_status",
    "description",
    "funder_department",
    "planned_start",
    "planned_end",
    "from_open_call",
    "data",
]


def _grant_row(
    grant: dict[str, Any], recipient_id: int | None, run_id: int, status: str = "matched"
) -> list[Any]:
    """The grant's values in the order of ``WRITTEN``, before adapting them for the database."""
    recipient = _first(grant, "recipientOrganization")
    funder = _first(grant, "fundingOrganization")
    planned = _first(grant, "plannedDates")
    return [
        _text(grant.get("id")),
        _text(grant.get("title"))[:TEXT_LENGTH],
        _text(grant.get("currency"))[:3],
        Decimal(str(grant["amountAwarded"])).quantize(PENNY),
        date.fromisoformat(str(grant["awardDate"])[:10]),
        _text(funder.get("id")),
        _text(funder.get("name"))[:TEXT_LENGTH],
        _text(recipient.get("id")),
        _text(recipient.get("name"))[:TEXT_LENGTH],
        recipient_id,
        _text(_first(grant, "grantProgramme").get("title"))[:TEXT_LENGTH],
        [],
        run_id,
        status,
        _text(grant.get("description")),
        _text(funder.get("department"))[:TEXT_LENGTH],
        _date_or_none(planned.get("startDate")),
        _date_or_none(planned.get("endDate")),
        _text(grant.get("fromOpenCall"))[:20],
        grant,
    ]


def _date_or_none(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _exact_number(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return orjson.Fragment(str(value))  # the number's own digits, never a float's
    raise TypeError(f"{type(value).__name__} is not JSON")


def published_json(value: Any) -> bytes:
    """The grant as JSON text, every number written with the digits it was read with
    (0.1 stays 0.1, 1.50 stays 1.50); quick, as it runs once for every grant imported."""
    try:
        return orjson.dumps(value, default=_exact_number)
    except orjson.JSONEncodeError:  # a whole number beyond 64 bits, a lone surrogate
        pass
    try:
        return orjson.dumps(_as_fragments(value), default=_exact_number)
    except orjson.JSONEncodeError:  # such a text as a key: the standard library's
        return json.dumps(value, cls=PublishedJSONEncoder).encode()


def _as_fragments(value: Any) -> Any:
    """The value with what orjson cannot write (whole numbers beyond 64 bits, texts that
    are not Unicode) as JSON it can put in as it is."""
    kind = type(value)
    if kind is dict:
        return {key: _as_fragments(item) for key, item in value.items()}
    if kind is list:
        return [_as_fragments(item) for item in value]
    if kind is int and not -(2**63) <= value < 2**64:
        return orjson.Fragment(str(value))
    if kind is str:
        try:
            value.encode()
        except UnicodeEncodeError:
            return orjson.Fragment(json.dumps(value))
    return value


def _json_parameter() -> Callable[[Any], Any]:
    """How to pass JSON for a JSON column to this database: text for SQLite, the JSON
    adapter (given the ready text) for PostgreSQL."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb  # lazy: the driver is there only for PostgreSQL

        return lambda value: Jsonb(value, dumps=published_json)
    return lambda value: published_json(value).decode()


def _short(value: Any, length: int) -> str:
    """A text or number as text for a typed column, cut to the column's length."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return str(value)[:length]
    return _text(value)[:length]


class _Children:
    """One child table of ExternalGrant (locations or classifications) written in batches:
    a row for every item of one list in the grant, the grant's old rows replaced."""

    def __init__(self, model: type[Model], key: str, fields: dict[str, str]) -> None:
        self.key = key
        meta = model._meta
        quote = connection.ops.quote_name
        self.fields = [(name, meta.get_field(column).max_length) for name, column in fields.items()]
        columns = [quote(meta.get_field(column).column) for column in ("grant", *fields.values())]
        table = quote(meta.db_table)
        marks = ", ".join(["%s"] * len(columns))
        # Table and column names come from the model; every value is a parameter.
        self.insert_sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608  # nosec B608
        self.delete_sql = f"DELETE FROM {table} WHERE {columns[0]} = %s"  # noqa: S608  # nosec B608

    def values(self, grant: dict[str, Any]) -> list[list[str]]:
        items = grant.get(self.key)
        if not items or type(items) is not list:
            return []
        rows = []
        for item in items:
            if type(item) is dict:
                row = []
                for name, length in self.fields:
                    value = item.get(name)
                    text = type(value) is str
                    row.append(value.strip()[:length] if text else _short(value, length))
                rows.append(row)
        return rows

    def write(
        self,
        cursor: Any,
        pks: dict[str, int],
        children: dict[str, list[list[str]]],
        replaced: list[int],
    ) -> int:
        if replaced:
            cursor.executemany(self.delete_sql, [(pk,) for pk in replaced])
        rows = [[pks[grant_id], *row] for grant_id, rows in children.items() for row in rows]
        if rows:
            cursor.executemany(self.insert_sql, rows)
        return len(rows)


# The columns ``_Writer.add`` adapts for the database, by their place in ``WRITTEN``.
AMOUNT, AWARDED, WARNINGS, DATA = (
    WRITTEN.index(name) for name in ("amount_awarded", "award_date", "warnings", "data")
)
DATES = [WRITTEN.index(name) for name in ("award_date", "planned_start", "planned_end")]
RECIPIENT = WRITTEN.index("recipient")


class _Writer:
    """Collect grants and write them in batches: new ones inserted, known ones updated,
    with a row for each of a grant's beneficiary locations and classifications (an
    updated grant's old ones replaced).

    Rows go to the database with one ``executemany`` a batch and table, values adapted
    by the connection's own operations exactly as the ORM would, without building a model
    instance for each of hundreds of thousands of grants.
    """

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.pending: dict[str, list[Any]] = {}
        self.pending_children: list[dict[str, list[list[str]]]] = [{}, {}]
        meta = ExternalGrant._meta
        fields = [meta.get_field(name) for name in WRITTEN]
        quote = connection.ops.quote_name
        columns = [quote(f.column) for f in fields]
        table = quote(meta.db_table)
        # Table and column names come from the model; every value is a parameter.
        names, marks = ", ".join(columns), ", ".join(["%s"] * len(columns))
        sets = ", ".join(f"{column} = %s" for column in columns[1:])
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
        self.update_sql = f"UPDATE {table} SET {sets} WHERE {columns[0]} = %s"  # noqa: S608  # nosec B608
        key, recipient = quote(meta.pk.column), quote(meta.get_field("recipient").column)
        self.select_sql = f"SELECT {columns[0]}, {key}, {recipient} FROM {table} WHERE {columns[0]}"  # noqa: S608  # nosec B608
        # Organisations whose grants this import writes, or wrote before it re-read them.
        self.recipients: set[int | None] = set()
        self.json = _json_parameter()
        self.no_warnings = self.json([])
        amount = meta.get_field("amount_awarded")
        self.digits = (amount.max_digits, amount.decimal_places)
        self.children = [
            _Children(
                ExternalGrantLocation,
                "beneficiaryLocation",
                {
                    "geoCode": "geo_code",
                    "geoCodeType": "geo_code_type",
                    "name": "name",
                    "countryCode": "country_code",
                },
            ),
            _Children(
                ExternalGrantClassification,
                "classifications",
                {"vocabulary": "vocabulary", "code": "code", "title": "title"},
            ),
        ]
        self.children_written = 0

    def add(self, row: list[Any], warnings: list[str]) -> None:
        ops = connection.ops
        grant = row[DATA]
        for table, pending in zip(self.children, self.pending_children, strict=True):
            pending[row[0]] = table.values(grant)
        row[AMOUNT] = ops.adapt_decimalfield_value(row[AMOUNT], *self.digits)
        for place in DATES:
            row[place] = ops.adapt_datefield_value(row[place])
        row[DATA] = self.json(grant)
        row[WARNINGS] = self.json(warnings) if warnings else self.no_warnings
        self.pending[row[0]] = row
        self.recipients.add(row[RECIPIENT])
        if len(self.pending) >= BATCH:
            self.flush()

    def _pks(self, cursor: Any, grant_ids: list[str]) -> dict[str, int]:
        """The keys of the grants already stored under these identifiers."""
        if connection.vendor == "postgresql":
            cursor.execute(f"{self.select_sql} = ANY(%s)", [grant_ids])
        else:
            cursor.execute(
                f"{self.select_sql} IN ({', '.join(['%s'] * len(grant_ids))})", grant_ids
            )
        found = cursor.fetchall()
        self.recipients.update(recipient for _, _, recipient in found)
        return {grant_id: pk for grant_id, pk, _ in found}

    def flush(self) -> None:
        if not self.pending:
            return
        with connection.cursor() as cursor:
            existing = self._pks(cursor, list(self.pending))
            new = [row for grant_id, row in self.pending.items() if grant_id not in existing]
            changed = [
                [*row[1:], row[0]] for grant_id, row in self.pending.items() if grant_id in existing
            ]
            if new:
                cursor.executemany(self.insert_sql, new)
            if changed:
                cursor.executemany(self.update_sql, changed)
            pks = existing
            if new and any(any(children.values()) for children in self.pending_children):
                pks = existing | self._pks(cursor, [row[0] for row in new])
            replaced = list(existing.values())
            for table, children in zip(self.children, self.pending_children, strict=True):
                self.children_written += table.write(cursor, pks, children, replaced)
        self.result.created += len(new)
        self.result.updated += len(changed)
        self.pending = {}
        self.pending_children = [{}, {}]

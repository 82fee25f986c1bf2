"""Store imported 360Giving grants in batches, every field kept as published.

The import loop (``importing``) checks each grant; this module turns a usable grant into
its row and writes rows in batches with one ``executemany`` each.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection

from thrive.opendata.models import ExternalGrant

if TYPE_CHECKING:
    from thrive.opendata.importing import ImportResult

BATCH = 1000
TEXT_LENGTH = 500  # titles and names longer than this are shortened, with a warning


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
    return [
        _text(grant.get("id")),
        _text(grant.get("title"))[:TEXT_LENGTH],
        _text(grant.get("currency"))[:3],
        Decimal(str(grant["amountAwarded"])).quantize(Decimal("0.01")),
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
        _date_or_none(_first(grant, "plannedDates").get("startDate")),
        _date_or_none(_first(grant, "plannedDates").get("endDate")),
        _text(grant.get("fromOpenCall"))[:20],
        grant,
    ]


def _date_or_none(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


class _Writer:
    """Collect grants and write them in batches: new ones inserted, known ones updated.

    Rows go to the database with one ``executemany`` a batch, values adapted by the
    connection's own operations exactly as the ORM would, without building a model
    instance for each of hundreds of thousands of grants.
    """

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.pending: dict[str, list[Any]] = {}
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
        self.warnings_field = meta.get_field("warnings")
        self.no_warnings = self.warnings_field.get_db_prep_save([], connection)
        self.data_field = meta.get_field("data")
        amount = meta.get_field("amount_awarded")
        self.digits = (amount.max_digits, amount.decimal_places)

    def add(self, row: list[Any], warnings: list[str]) -> None:
        ops = connection.ops
        row[3] = ops.adapt_decimalfield_value(row[3], *self.digits)
        row[4] = ops.adapt_datefield_value(row[4])
        row[16] = ops.adapt_datefield_value(row[16])
        row[17] = ops.adapt_datefield_value(row[17])
        row[19] = self.data_field.get_db_prep_save(row[19], connection)
        row[11] = (
            self.warnings_field.get_db_prep_save(warnings, connection)
            if warnings
            else self.no_warnings
        )
        self.pending[row[0]] = row
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        existing = set(
            ExternalGrant.objects.filter(grant_id__in=list(self.pending)).values_list(
                "grant_id", flat=True
            )
        )
        new = [row for grant_id, row in self.pending.items() if grant_id not in existing]
        changed = [
            [*row[1:], row[0]] for grant_id, row in self.pending.items() if grant_id in existing
        ]
        with connection.cursor() as cursor:
            if new:
                cursor.executemany(self.insert_sql, new)
            if changed:
                cursor.executemany(self.update_sql, changed)
        self.result.created += len(new)
        self.result.updated += len(changed)
        self.pending = {}

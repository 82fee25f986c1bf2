"""Write the rows in batches, the newest release of each key winning, and count them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from thrive.opendata.models import ExternalContract
from thrive.opendata.ocds_import.rows import Row
from thrive.opendata.problems import Problem
from thrive.opendata.recipients import RecipientMatcher
from thrive.opendata.storing import _json_parameter

BATCH = 500


@dataclass
class OcdsImportResult:
    source_name: str
    dry_run: bool
    kind: str = "releases"
    read: int = 0
    created: int = 0
    updated: int = 0
    kept_newer: int = 0
    organisations_created: int = 0
    held: int = 0
    publishers: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [*self.errors, *self.warnings]

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        noun = "release" if self.kind == "releases" else "record"
        return (
            f"{self.read:,} {noun}{'' if self.read == 1 else 's'} read: "
            f"{self.created:,} contract awards {verb} added and {self.updated:,} updated"
            f" ({self.kept_newer:,} left as they were, a newer version being held); "
            f"{self.organisations_created:,} new organisations {verb} added to the register "
            f"and {self.held:,} suppliers {verb} held for review. "
            f"{len(self.errors):,} awards or releases could not be used; "
            f"{len(self.warnings):,} quality warnings."
        )


# The columns written, ``key`` first: the row's own fields, then what the writer adds.
FIELDS = [
    "ocid",
    "award_id",
    "title",
    "description",
    "status",
    "buyer_org_id",
    "buyer_name",
    "supplier_org_id",
    "supplier_name",
    "currency",
    "value",
    "award_date",
    "start_date",
    "end_date",
    "import_run",
]
WRITTEN = ["key", *FIELDS, "data", "warnings", "recipient", "recipient_status"]
DATES = ("award_date", "start_date", "end_date")


class Writer:
    """Collect rows and write them in batches: the newest release of each key wins.

    Rows go to the database with one ``executemany`` a batch for the new and one for the
    known, their values adapted by the connection's own operations as the ORM would.
    """

    def __init__(self, result: OcdsImportResult, matcher: RecipientMatcher) -> None:
        self.result = result
        self.matcher = matcher
        self.pending: dict[str, Row] = {}
        self.publishers: dict[str, None] = {}  # the buyers named, in the order first met
        self.written: dict[str, str] = {}  # key -> release date, for this file
        self.recipients: set[int | None] = set()  # organisations whose contracts it writes
        meta = ExternalContract._meta
        quote = connection.ops.quote_name
        columns = [quote(meta.get_field(name).column) for name in WRITTEN]
        table = quote(meta.db_table)
        names, marks = ", ".join(columns), ", ".join(["%s"] * len(columns))
        sets = ", ".join(f"{column} = %s" for column in columns[1:])
        # Table and column names come from the model; every value is a parameter.
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
        self.update_sql = f"UPDATE {table} SET {sets} WHERE {columns[0]} = %s"  # noqa: S608  # nosec B608
        self.json = _json_parameter()
        value = meta.get_field("value")
        self.digits = (value.max_digits, value.decimal_places)

    def add(self, row: Row) -> None:
        held = self.pending.get(row.key)
        if held is not None and held.released > row.released:
            self.result.kept_newer += 1
            return
        if row.key in self.written and self.written[row.key] > row.released:
            self.result.kept_newer += 1
            return
        self.pending[row.key] = row
        if len(self.pending) >= BATCH:
            self.flush()

    def _values(self, row: Row, recipient: int | None, status: str) -> list[Any]:
        """The row's values in the order of ``WRITTEN``, adapted for the database."""
        ops = connection.ops
        fields = row.fields
        values = [row.key, *(fields[name] for name in FIELDS)]
        if fields["value"] is not None:
            values[WRITTEN.index("value")] = ops.adapt_decimalfield_value(
                fields["value"], *self.digits
            )
        for name in DATES:
            values[WRITTEN.index(name)] = ops.adapt_datefield_value(fields[name])
        values += [self.json(fields["data"]), self.json(row.warnings), recipient, status]
        return values

    def flush(self) -> None:
        if not self.pending:
            return
        existing = {
            key: (recipient, status, str(released or ""))
            for key, recipient, status, released in ExternalContract.objects.filter(
                key__in=list(self.pending)
            ).values_list("key", "recipient_id", "recipient_status", "data__date")
        }
        new, changed = [], []
        for key, row in self.pending.items():
            known = existing.get(key)
            if known is not None and known[2] > row.released and key not in self.written:
                self.result.kept_newer += 1
                continue
            if known is not None and known[0] is not None:
                recipient, status = known[0], known[1]
            else:
                recipient, status = self.matcher.match(row.recipient)
            if recipient is None:
                self.result.held += 1
            values = self._values(row, recipient, status)
            self.recipients.add(recipient)
            self.written[key] = row.released
            if known is None:
                new.append(values)
            else:
                changed.append([*values[1:], key])
        self.matcher.flush()  # the new suppliers first, then the contracts naming them
        with connection.cursor() as cursor:
            if new:
                cursor.executemany(self.insert_sql, new)
            if changed:
                cursor.executemany(self.update_sql, changed)
        self.result.created += len(new)
        self.result.updated += len(changed)
        self.pending = {}

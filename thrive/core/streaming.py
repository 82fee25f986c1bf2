"""Every row of a large query, read a chunk at a time through one database cursor planned
for reading them all: what the exports and the open data files read their rows with."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import DatabaseError, connections
from django.db.models import QuerySet

STREAM_CHUNK_ROWS = 2000

_PLAN_EVERY_ROW = (
    "SELECT current_setting('cursor_tuple_fraction'), current_setting('jit'), "
    "set_config('cursor_tuple_fraction', '1.0', false), set_config('jit', 'off', false)"
)
_PLAN_AS_BEFORE = (
    "SELECT set_config('cursor_tuple_fraction', %s, false), set_config('jit', %s, false)"
)


def stream_rows(queryset: QuerySet[Any], *, chunk_size: int = STREAM_CHUNK_ROWS) -> Iterator[Any]:
    """Every row of the queryset, read a chunk at a time through one database cursor.

    On PostgreSQL the cursor is a server-side one planned for reading every row: by default
    a cursor is planned for its first tenth, which picks index-by-index joins that take
    several times longer over a whole table than hashing. Nor is the query compiled to
    machine code first (JIT): a row's subqueries make its estimated cost look large, and
    compiling took a second longer than the register's 20,000 rows took to read. Both
    settings are put back when the last of the streams read side by side is read (or
    reading stops).
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    streams = getattr(connection, "thrive_streams", 0)
    if not streams:
        with connection.cursor() as cursor:
            cursor.execute(_PLAN_EVERY_ROW)
            connection.thrive_planned_before = cursor.fetchone()[:2]
    connection.thrive_streams = streams + 1
    try:
        yield from queryset.iterator(chunk_size=chunk_size)
    finally:
        connection.thrive_streams -= 1
        if not connection.thrive_streams:
            _plan_as_before(connection, connection.thrive_planned_before)


def _plan_as_before(connection: Any, before: Sequence[str]) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(_PLAN_AS_BEFORE, before)
    except DatabaseError:
        pass  # the transaction failed: rolling it back puts the settings back

"""Reads whose SQL is compiled once per database connection, then sent again with new values.

Every API call at a deadline makes the same few reads (the bearer token with its user and
memberships, the application under its row lock). Building their querysets and compiling
their SQL (several joined tables, a hundred columns) costs more of the request's CPU than
PostgreSQL spends running them. A ``PreparedRead`` builds the queryset once with placeholder
values, compiles it once for each connection, and afterwards sends the same SQL with the
call's values in the placeholders' places; Django turns the rows into model instances (with
their ``select_related`` objects and annotations) as usual.

Only equality on plain values may take a call's value (``filter(pk=...)``, ``key=...``):
each placeholder must reach the SQL as a parameter unchanged, which is checked when the
statement is compiled.
"""

from __future__ import annotations

import copy
import itertools
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

_INT_PLACEHOLDER = -2_147_000_000
_NAMES = itertools.count(1)
_MARKS = re.compile(r"%%|%s")


def placeholder(name: str, kind: type) -> Any:
    """A value no call sends, standing for ``name`` while the statement is compiled."""
    if kind is int:
        return _INT_PLACEHOLDER - sum(map(ord, name))
    return f"\x00placeholder:{name}"


@dataclass(frozen=True)
class _Compiled:
    template: QuerySet
    compiler: Any
    sql: str
    slots: tuple[str | None, ...]
    constants: tuple[Any, ...]
    converters: dict[int, Any]
    composite: bool


class PreparedRead:
    """``build(**values)`` gives the queryset; ``kinds`` names each value's type (str or int)."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self.build = build
        self.placeholders = {name: placeholder(name, kind) for name, kind in kinds.items()}
        self._template: QuerySet | None = None
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()
        self.name = f"thrive_read_{next(_NAMES)}"
        # The PostgreSQL sessions (their driver's connections) that hold the statement.
        self._prepared_in: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()

    def _compile(self, template: QuerySet, connection: Any) -> _Compiled:
        compiler = template.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in self.placeholders.items()}
        slots = tuple(by_value.get(p) if isinstance(p, str | int) else None for p in params)
        missing = set(self.placeholders) - set(slots)
        if missing:
            raise ValueError(f"Placeholders not sent as parameters: {sorted(missing)}")
        constants = tuple(None if slot else p for slot, p in zip(slots, params, strict=True))
        # Which columns need converting (dates, decimals, JSON) is also the same each time:
        # Django works it out for every query, by comparing each of the hundred columns' fields.
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        # And so is whether any column is a composite primary key's pair.
        composite = compiler.has_composite_fields(columns)
        return _Compiled(template, compiler, sql, slots, constants, converters, composite)

    def __call__(self, **values: Any) -> list[Model]:
        """The rows for these values, as the queryset ``build(**values)`` would give them."""
        if self._template is None:
            self._template = self.build(**self.placeholders)
        template = self._template
        connection = connections[template.db]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(template, connection)
        params = tuple(
            values[slot] if slot else constant
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        )
        sql = self._statement(connection, compiled, params)
        run = copy.copy(compiled.compiler)
        run.as_sql = lambda *args, **kwargs: (sql, params)
        run.get_converters = lambda expressions: compiled.converters
        run.has_composite_fields = lambda expressions: compiled.composite
        queryset = compiled.template.all()
        queryset.query.get_compiler = lambda *args, **kwargs: run
        return list(queryset)

    def _statement(self, connection: Any, compiled: _Compiled, params: tuple[Any, ...]) -> str:
        """The SQL to send: on PostgreSQL, ``EXECUTE`` of the statement prepared once in this
        session, so that it is also parsed and planned once (planning these joins takes
        PostgreSQL several times longer than running them); elsewhere the statement itself.

        The ``PREPARE`` is sent once a session, beside Django's own statements (so it is
        not counted as one of the request's), and outlives any rollback.
        """
        if connection.vendor != "postgresql":
            return compiled.sql
        connection.ensure_connection()
        session = connection.connection
        if session not in self._prepared_in:
            numbers = itertools.count(1)
            numbered = _MARKS.sub(
                lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", compiled.sql
            )
            with session.cursor() as cursor:
                cursor.execute(f"PREPARE {self.name} AS {numbered}")
            self._prepared_in[session] = True
        marks = ", ".join(["%s"] * len(params))
        return f"EXECUTE {self.name}({marks})" if params else f"EXECUTE {self.name}"

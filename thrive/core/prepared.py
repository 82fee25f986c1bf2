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
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

_INT_PLACEHOLDER = -2_147_000_000


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


class PreparedRead:
    """``build(**values)`` gives the queryset; ``kinds`` names each value's type (str or int)."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self.build = build
        self.placeholders = {name: placeholder(name, kind) for name, kind in kinds.items()}
        self._template: QuerySet | None = None
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()

    def _compile(self, template: QuerySet, connection: Any) -> _Compiled:
        compiler = template.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in self.placeholders.items()}
        slots = tuple(by_value.get(p) if isinstance(p, str | int) else None for p in params)
        missing = set(self.placeholders) - set(slots)
        if missing:
            raise ValueError(f"Placeholders not sent as parameters: {sorted(missing)}")
        constants = tuple(None if slot else p for slot, p in zip(slots, params, strict=True))
        return _Compiled(template, compiler, sql, slots, constants)

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
        run = copy.copy(compiled.compiler)
        run.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        queryset = compiled.template.all()
        queryset.query.get_compiler = lambda *args, **kwargs: run
        return list(queryset)

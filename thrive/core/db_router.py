"""Reads that may be a little stale go to a read replica, and only those, by asking for it.

``DATABASE_REPLICA_URL`` adds a ``replica`` database (a streaming replica of the primary).
Nothing goes there by itself: code that reads for a report or an export, where a figure a
second or two old is as good as a fresh one, says so::

    with reading_replica():
        rows = list(selectors.returns_for_export(council=council))

Inside that block the router sends reads to the replica, unless reading it could show the
person something older than what they just did: inside a transaction (a read that decides
a write must see the primary) reads stay on the primary, and so do reads of a table after
a write to it in the same request or task (a report that keeps its figures in a table of
its own still reads everything else from the replica). Every write goes to the primary;
migrations never run on the replica. Without ``DATABASE_REPLICA_URL``
(``THRIVE_REPLICA_DATABASE`` empty) everything reads the primary and the blocks cost nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django_tasks.signals import task_started

REPLICA_ALIAS = "replica"
T = TypeVar("T")
P = ParamSpec("P")

_wanted: ContextVar[bool] = ContextVar("thrive_replica_wanted", default=False)
_written: ContextVar[frozenset[str]] = ContextVar("thrive_replica_written", default=frozenset())


@contextmanager
def reading_replica() -> Iterator[None]:
    """Let the reads in this block go to the read replica (when there is one)."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def replica_reads(view: Callable[P, T]) -> Callable[P, T]:
    """A page (a report) all of whose reads may come from the replica."""

    @functools.wraps(view)
    def reading(*args: P.args, **kwargs: P.kwargs) -> T:
        with reading_replica():
            return view(*args, **kwargs)

    return reading


def on_replica(rows: Iterable[T]) -> Iterator[T]:
    """The rows, read from the replica as they are drawn: for a streamed download, whose
    queries run after the view has returned (outside any block the view opened)."""
    with reading_replica():
        yield from rows


def read_alias(model: type[Model] | None = None) -> str:
    """The database a stale-tolerant read of the model (of anything, when None) goes to now."""
    name = settings.THRIVE_REPLICA_DATABASE
    if not name or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    written = _written.get()
    if (model._meta.db_table in written) if model is not None else bool(written):
        return DEFAULT_DB_ALIAS
    return name


def forget_writes(**kwargs: object) -> None:
    """A new request or task starts: the writes of the one before say nothing about it."""
    _written.set(frozenset())


request_started.connect(forget_writes, dispatch_uid="thrive-replica-forget-writes")
task_started.connect(forget_writes, dispatch_uid="thrive-replica-forget-writes")


class ReplicaRouter:
    """Reads asked for with ``reading_replica()`` to the replica; all else to the primary."""

    def db_for_read(self, model: type[Model], **hints: object) -> str | None:
        if not _wanted.get() or hints.get("instance") is not None:
            return None  # the primary, or the database the instance came from
        return read_alias(model)

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        _written.set(_written.get() | {model._meta.db_table})
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        both = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA_ALIAS} else None

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool | None:
        return False if db == REPLICA_ALIAS else None

"""Every export the service offers, by key: how to build its rows for a person and filters.

An app registers each of its exports from its ``AppConfig.ready()``::

    export_registry.register(
        "monitoring.returns",
        action="monitoring.staff",
        build="thrive.monitoring.views.plans:returns_table",
    )

``build(user, params)`` checks what the person may see exactly as the page does (it raises
``PermissionDenied`` where the page refuses) and answers a ``Table``: its title, column
titles, a lazy iterable of rows and how to count them without building them. The page and
the task worker call the same function, so a file made in the background holds the rows
the person would have had at once; core runs any app's export without importing the app.
The function is named by dotted path and imported when first used, which keeps start-up
light; this module imports no models, so an app's ``apps.py`` may import it at the top.
``thrive.core.export_jobs.build_table`` checks the export's action and builds the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Table:
    """An export's rows, built lazily: nothing is read until ``rows`` is iterated."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    filename: str
    count: Callable[[], int] | None = None


@dataclass(frozen=True)
class Export:
    """A registered export: the policy action its page needs and where its rows come from."""

    key: str
    action: str
    build_path: str

    def builder(self) -> Callable[[Any, QueryDict], Table]:
        """The app's ``build(user, params)`` function, imported on first use."""
        return import_string(self.build_path.replace(":", "."))


_EXPORTS: dict[str, Export] = {}


def register(key: str, *, action: str, build: str) -> Export:
    """Register (or, as ``ready()`` may run again, replace) the export called ``key``."""
    export = Export(key=key, action=action, build_path=build)
    _EXPORTS[key] = export
    return export


def get(key: str) -> Export:
    """The export called ``key``; ``LookupError`` when no app registered it."""
    try:
        return _EXPORTS[key]
    except KeyError:
        raise LookupError(f"No export is registered as {key!r}") from None


def registered() -> list[str]:
    """The keys of every registered export, sorted."""
    return sorted(_EXPORTS)


def params_of(query: QueryDict) -> dict[str, list[str]]:
    """The filters of a request's query string as stored (format and page left out)."""
    return {
        name: values for name, values in query.lists() if name not in {"format", "page"} and values
    }


def query_of(params: dict[str, list[str]]) -> QueryDict:
    """The stored filters as the query string the page read them from."""
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, [str(value) for value in values])
    return query

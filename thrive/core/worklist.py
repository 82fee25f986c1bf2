"""Work finds its people: each app registers what waits on a user; this gathers it.

An app adds a provider function (in its own ``worklist.py``, imported from its ``ready()``)
that returns the work items waiting on one user: a decision to approve, a return to review,
a draft to finish. Providers ask only the database rows the user may act on (staff their
council's, providers their organisations'), in one or two queries each, so the list and its
counts can be shown on every page. ``items_for`` and ``counts_for`` are the public interface
(the to-do page, the API, the navigation count and the emails all read them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting on the user, with when it started waiting and where it is done."""

    kind: str
    title: str
    url: str
    since: datetime
    detail: str = ""
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return label_for(self.kind)

    @property
    def age_days(self) -> int:
        return max((timezone.now() - self.since).days, 0)

    @property
    def age_text(self) -> str:
        """How long it has waited, in words: "Today", "1 day", "12 days"."""
        days = self.age_days
        if days == 0:
            return "Today"
        return f"{days} day{'' if days == 1 else 's'}"


Provider = Callable[[Any], Iterable[WorkItem]]

_PROVIDERS: list[Provider] = []
_KINDS: dict[str, tuple[int, str]] = {}


def add_kind(kind: str, label: str, order: int = 100) -> None:
    """Name a kind of work item, as its group heading, and place the group among the others."""
    _KINDS[kind] = (order, label)


def label_for(kind: str) -> str:
    return _KINDS.get(kind, (0, kind))[1]


def kind_order(kind: str) -> int:
    return _KINDS.get(kind, (1000, kind))[0]


def add(provider: Provider) -> Provider:
    """Register a provider of work items (usable as a decorator); registering twice is a no-op."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def _cache_key() -> str:
    return "_worklist_items"


def items_for(user: Any) -> list[WorkItem]:
    """Everything waiting on the user, oldest first (cached on the user object for a request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _cache_key(), None)
    if cached is not None:
        return list(cached)
    items: list[WorkItem] = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    items.sort(key=lambda i: (i.since, kind_order(i.kind), i.title))
    setattr(user, _cache_key(), tuple(items))
    return items


def items_of(user: Any, kind: str) -> list[WorkItem]:
    """The user's items of one kind, oldest first."""
    return [item for item in items_for(user) if item.kind == kind]


def forget(user: Any) -> None:
    """Drop the cached list, after the user has done something that changes it."""
    if hasattr(user, _cache_key()):
        delattr(user, _cache_key())


def counts_for(user: Any) -> dict[str, int]:
    """How many items of each kind wait on the user (kinds in their display order)."""
    counts: dict[str, int] = {}
    for item in sorted(items_for(user), key=lambda i: kind_order(i.kind)):
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts


def total_for(user: Any) -> int:
    return len(items_for(user))


TOTAL_SECONDS = 60
"""How long the navigation's count may lag behind the list (pages other than home and to-do)."""


def _total_key(user: Any) -> str:
    return f"thrive-worklist-total-{user.pk}"


def remember_total(user: Any) -> int:
    """Count the user's items now and keep the count for the navigation of the next pages."""
    total = total_for(user)
    cache.set(_total_key(user), total, TOTAL_SECONDS)
    return total


def cached_total(user: Any) -> int:
    """The count for the navigation: kept for a minute, so that most pages ask no database.

    The home page, the to-do list and signing in count afresh (``remember_total``).
    """
    total = cache.get(_total_key(user))
    return remember_total(user) if total is None else total


def count_on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: count the new session's to-do items for its navigation."""
    remember_total(user)


def grouped_for(user: Any) -> list[dict[str, Any]]:
    """The items grouped by kind, groups in display order, each group oldest first."""
    groups: dict[str, list[WorkItem]] = {}
    for item in items_for(user):
        groups.setdefault(item.kind, []).append(item)
    return [
        {"kind": kind, "label": label_for(kind), "items": groups[kind]}
        for kind in sorted(groups, key=kind_order)
    ]

"""Service navigation: each app adds its items; the policy decides who sees which.

The bar across the top keeps to a few links per kind of user (``top``: the audiences for whom
an item is a top-level link: ``anonymous``, ``provider``, ``staff`` or a staff role code).
Every other item the user may use is listed on their home page (``more_for``), so nothing
loses its way in when it leaves the bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from thrive.core import policy, worklist

ANONYMOUS = "anonymous"
PROVIDER = "provider"
STAFF = "staff"
EVERYONE = frozenset({ANONYMOUS, PROVIDER, STAFF})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str
    order: int = 100
    anonymous: bool = False
    top: frozenset[str] = EVERYONE
    section: str = "More"
    description: str = ""
    counter: Callable[[Any], int] | None = field(default=None, compare=False)


_ITEMS: list[NavItem] = []


def add(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def audiences(user: Any) -> frozenset[str]:
    """Who the user is, for choosing the top-level links: anonymous, provider or staff roles."""
    if not user.is_authenticated:
        return frozenset({ANONYMOUS})
    if policy.is_staff_user(user):
        return frozenset({STAFF, *user.role_codes()})
    return frozenset({PROVIDER})


def _usable(user: Any) -> list[NavItem]:
    return [
        item
        for item in _ITEMS
        if (user.is_authenticated or item.anonymous) and policy.can(user, item.action)
    ]


def items_for(user: Any, path: str) -> list[dict[str, Any]]:
    """The top-level navigation items of this user, with the current one marked."""
    who = audiences(user)
    result = []
    for item in _usable(user):
        if not item.top & who:
            continue
        href = reverse(item.url_name)
        active = path == href if href == "/" else path.startswith(href)
        count = item.counter(user) if item.counter else None
        result.append({"label": item.label, "href": href, "active": active, "count": count})
    return result


def more_for(user: Any) -> list[dict[str, Any]]:
    """The items the user may use that are not in their top bar, grouped by section."""
    who = audiences(user)
    sections: dict[str, list[dict[str, str]]] = {}
    for item in _usable(user):
        if item.top & who:
            continue
        sections.setdefault(item.section, []).append(
            {"label": item.label, "href": reverse(item.url_name), "description": item.description}
        )
    return [{"title": title, "links": links} for title, links in sections.items()]


add(NavItem("Home", "core:home", policy.PUBLIC, order=0, anonymous=True))
add(NavItem("To do", "core:tasks", "tasks.view", order=5, counter=worklist.cached_total))
add(
    NavItem(
        "Staff",
        "accounts:staff",
        "staff.manage",
        order=880,
        top=frozenset(),
        section="Running the service",
        description="Council staff, their roles and directorates",
    )
)
add(
    NavItem(
        "Audit log",
        "audit:list",
        "audit.view",
        order=900,
        top=frozenset(),
        section="Running the service",
        description="Every decision and change, who made it and why",
    )
)
add(NavItem("Your account", "accounts:account", "account.view", order=1000))

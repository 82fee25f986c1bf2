"""Service navigation: each app adds its items; the policy decides who sees which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from thrive.core import policy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str
    order: int = 100
    anonymous: bool = False


_ITEMS: list[NavItem] = []


def add(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(user: Any, path: str) -> list[dict[str, Any]]:
    """The navigation items this user may use, with the current one marked."""
    result = []
    for item in _ITEMS:
        if not user.is_authenticated and not item.anonymous:
            continue
        if not policy.can(user, item.action):
            continue
        href = reverse(item.url_name)
        active = path == href if href == "/" else path.startswith(href)
        result.append({"label": item.label, "href": href, "active": active})
    return result


add(NavItem("Home", "core:home", policy.PUBLIC, order=0, anonymous=True))
add(NavItem("Staff", "accounts:staff", "staff.manage", order=880))
add(NavItem("Audit log", "audit:list", "audit.view", order=900))
add(NavItem("Your account", "accounts:account", "account.view", order=1000))

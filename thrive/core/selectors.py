"""What the home page shows to each kind of user."""

from __future__ import annotations

from typing import Any

from thrive.core import navigation, policy, worklist
from thrive.core.roles import ROLE_DESCRIPTIONS, Role


def home_context(user: Any) -> dict[str, Any]:
    """Choose the home page for the user: public, provider or staff, with what they need."""
    if not user.is_authenticated:
        return {"template": "core/home_public.html"}
    if policy.is_staff_user(user):
        roles = [
            {"code": code, "name": Role(code).label, "description": ROLE_DESCRIPTIONS[code]}
            for code in sorted(user.role_codes())
        ]
        return {"template": "core/home_staff.html", "roles": roles, **_work_and_links(user)}
    memberships = list(user.memberships.select_related("organisation"))
    return {
        "template": "core/home_provider.html",
        "memberships": memberships,
        **_work_and_links(user),
    }


HOME_ITEMS = 5
"""How many to-do items the home page shows before its link to the whole list."""


def _work_and_links(user: Any) -> dict[str, Any]:
    """The oldest to-do items, their count (kept for the navigation), and the other pages."""
    items = worklist.items_for(user)
    return {
        "todo": items[:HOME_ITEMS],
        "todo_total": worklist.remember_total(user),
        "more": navigation.more_for(user),
    }

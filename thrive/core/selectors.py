"""What the home page shows to each kind of user."""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import ROLE_DESCRIPTIONS, Role
from thrive.core import policy


def home_context(user: Any) -> dict[str, Any]:
    """Choose the home page for the user: public, provider or staff, with what they need."""
    if not user.is_authenticated:
        return {"template": "core/home_public.html"}
    if policy.is_staff_user(user):
        roles = [
            {"code": code, "name": Role(code).label, "description": ROLE_DESCRIPTIONS[code]}
            for code in sorted(user.role_codes())
        ]
        return {"template": "core/home_staff.html", "roles": roles}
    memberships = list(user.memberships.select_related("organisation"))
    return {"template": "core/home_provider.html", "memberships": memberships}

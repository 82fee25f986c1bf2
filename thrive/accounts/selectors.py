"""Reads about accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from thrive.accounts.models import ApiToken, Role, User


def tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def account_summary(*, user: User) -> dict[str, Any]:
    """What the account page shows: who you are, your council and roles, your organisations."""
    return {
        "roles": [Role(code).label for code in sorted(user.role_codes())],
        "memberships": list(user.memberships.select_related("organisation")),
        "council": user.council,
    }

"""Reads about accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

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


def staff_for_user(*, user: User, search: str = "") -> QuerySet[User]:
    """Staff accounts the user may manage: their council's, or every council's for system admins."""
    from thrive.core import policy

    staff = User.objects.filter(council__isnull=False).select_related("council")
    if not policy.is_system_admin(user):
        staff = staff.filter(council_id=user.council_id)
    if search:
        staff = staff.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
            | Q(username__icontains=search)
        )
    return staff.prefetch_related("role_assignments__directorate").order_by(
        "-is_active", "last_name", "first_name"
    )

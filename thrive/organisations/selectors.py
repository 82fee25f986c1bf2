"""Reads about organisations."""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import Invitation, Membership
from thrive.organisations.models import Organisation


def members_and_invitations(*, organisation: Organisation) -> dict[str, Any]:
    """The organisation's members and its pending invitations."""
    return {
        "memberships": list(
            Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("-is_admin", "user__first_name", "user__last_name")
        ),
        "invitations": list(
            Invitation.objects.pending()
            .filter(organisation=organisation)
            .select_related("invited_by")
        ),
    }

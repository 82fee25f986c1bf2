"""An organisation's applications on its page (§3.2 track record).

Added to ``thrive.organisations.extensions`` from ``ApplicationsConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from thrive.accounts.models import User
from thrive.applications import selectors
from thrive.core import policy
from thrive.organisations import extensions
from thrive.organisations.models import Organisation

APPLICATIONS_SHOWN = 25


def application_history(*, organisation: Organisation, user: User) -> dict[str, Any]:
    """The organisation's applications as this user may read them (§3.2 track record).

    Staff see their council's received applications through the applications app's own
    selector, so sealed bids stay hidden until opened; members see all of theirs.
    """
    if policy.membership_of(user, organisation) is not None:
        applications = selectors.applications_for_provider(user=user)
    elif policy.is_staff_user(user):
        applications = selectors.applications_for_staff(user=user)
    else:
        return {"count": 0, "rows": []}
    applications = applications.filter(organisation=organisation)
    rows = list(applications.order_by("-submitted_at", "-pk")[: APPLICATIONS_SHOWN + 1])
    # counted only when there are more than the page shows
    count = applications.count() if len(rows) > APPLICATIONS_SHOWN else len(rows)
    return {"count": count, "rows": rows[:APPLICATIONS_SHOWN]}


def applications_part(
    *, organisation: Organisation, user: User, context: dict[str, Any]
) -> dict[str, Any]:
    """The page's table of applications."""
    return {"applications": application_history(organisation=organisation, user=user)}


def register_organisation_parts() -> None:
    """Add the applications to the organisation's page."""
    extensions.profile_parts.add(applications_part, key="applications.history", order=30)

"""Who runs opportunities and who asks about them.

Published opportunities are public. Commissioners run their directorates' opportunities,
procurement officers any of their council's. Provider users ask questions and choose alerts
for their own organisations only.
"""

from __future__ import annotations

from typing import Any

from thrive.core import policy
from thrive.core.policy import in_council, in_directorates
from thrive.core.roles import (
    Role,
    has_council_role,
    is_provider_user,
    is_staff_user,
    is_system_admin,
    membership_of,
)

OPPORTUNITY_RUNNERS = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)


@policy.register("opportunities.staff.view")
def _opportunities_staff_view(user: Any, opportunity: Any) -> bool:
    return is_staff_user(user) and in_council(user, opportunity)


@policy.register("opportunities.manage")
def may_manage_opportunity(user: Any, opportunity: Any) -> bool:
    """Procurement officers of the council, or commissioners of the directorate running it."""
    if is_system_admin(user):
        return True
    if has_council_role(user, Role.PROCUREMENT_OFFICER):
        return in_council(user, opportunity)
    return (
        has_council_role(user, Role.COMMISSIONER)
        and bool(user.directorate_ids())
        and in_council(user, opportunity)
        and in_directorates(user, opportunity)
    )


@policy.register("opportunities.provider", acts_for_organisation=True)
def _opportunities_provider(user: Any, organisation: Any) -> bool:
    """Ask questions and choose alerts: members of the organisation."""
    if not is_provider_user(user):
        return False
    return organisation is None or membership_of(user, organisation) is not None

"""Who reads the audit log: system administrators, and their own council's administrators
and strategy group."""

from __future__ import annotations

from typing import Any

from thrive.core import policy
from thrive.core.roles import Role, has_council_role, is_system_admin


@policy.register("audit.view")
def _audit_view(user: Any, obj: Any) -> bool:
    if is_system_admin(user):
        return True
    if not has_council_role(user, Role.COUNCIL_ADMIN, Role.STRATEGY_GROUP):
        return False
    return obj is None or obj.council_id == user.council_id

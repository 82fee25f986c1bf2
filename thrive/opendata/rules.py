"""Policy rules for open data: everything published is public; the settings are not."""

from __future__ import annotations

from typing import Any

from thrive.core.policy import can, has_council_role, register
from thrive.core.roles import Role


@register("opendata.settings")
def _settings(user: Any, obj: Any) -> bool:
    """Council administrators keep how their council publishes (system administrators use
    the admin site)."""
    return has_council_role(user, Role.COUNCIL_ADMIN) and (
        obj is None or getattr(obj, "council_id", None) == user.council_id
    )


@register("opendata.imports.view")
def _imports_view(user: Any, obj: Any) -> bool:
    """Staff who may see the organisation register (and so those who import into it) see
    what each import of other publishers' files brought in and found wrong; imported data
    is every council's, as the register is."""
    return can(user, "organisations.register.view") or can(user, "organisations.register.import")


@register("opendata.external_grants.view")
def _external_grants_view(user: Any, obj: Any) -> bool:
    """Imported grants are public data: council staff read them all; provider users read
    those to their own organisations (the selector narrows them)."""
    return bool(user.is_authenticated)

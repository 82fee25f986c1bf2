"""Who reaches the home pages, the to-do list, exports made in the background and the admin
site."""

from __future__ import annotations

from typing import Any

from thrive.core import policy
from thrive.core.roles import is_provider_user, is_staff_user, is_system_admin


@policy.register("staff.home")
def _staff_home(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@policy.register("provider.home")
def _provider_home(user: Any, obj: Any) -> bool:
    return is_provider_user(user)


@policy.register("tasks.view")
def _tasks_view(user: Any, obj: Any) -> bool:
    """Everyone signed in has a to-do list of the work waiting on them (maybe empty)."""
    return user.is_authenticated


@policy.register("admin.site")
def _admin_site(user: Any, obj: Any) -> bool:
    return is_system_admin(user)


@policy.register("exports.list")
def _exports_list(user: Any, obj: Any) -> bool:
    """Everyone signed in has a list of the exports they asked for (maybe empty)."""
    return user.is_authenticated


@policy.register_object("exports.job")
def _export_job(user: Any, obj: Any) -> bool:
    """An export made in the background is its owner's alone (the file's own rule is checked
    again at download)."""
    return user.is_authenticated and obj is not None and obj.user_id == user.pk

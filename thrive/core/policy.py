"""The one permission policy: may this user do this action (on this object)?

Every view and API endpoint asks here, through ``can``/``require`` or the ``rule``
view decorator. Staff are scoped to their council; provider users to their own
organisations. Rules are registered by action name, each app's from its ``rules.py``
(imported by its ``AppConfig.ready()``); an unknown action is refused. This module is the
mechanism and the scope helpers those rules share; it names no app's actions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The who-is-who helpers are reached through the policy by rules, views and templates' tags.
from thrive.core.roles import (  # noqa: F401
    Role,
    email_unverified,
    has_council_role,
    is_organisation_admin,
    is_provider_user,
    is_staff_user,
    is_system_admin,
    may_start_application,
    membership_of,
    same_council,
)

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


# Acting for an organisation needs a confirmed email address (issue 14 must-have 7): a
# self-registered person is refused these until they follow the emailed link; ``can``
# refuses them everywhere (pages and API) and ``rule`` shows them why, with a new link.
ACTS_FOR_ORGANISATION: set[str] = set()


def register(action: str, *, acts_for_organisation: bool = False) -> Callable[[Rule], Rule]:
    """Register the rule for ``action``; ``acts_for_organisation`` needs a confirmed email."""

    def decorator(func: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"Rule for {action!r} is already registered")
        _RULES[action] = func
        if acts_for_organisation:
            ACTS_FOR_ORGANISATION.add(action)
        return func

    return decorator


def actions() -> list[str]:
    """Every registered action, sorted (each app registers its own from its ``rules.py``)."""
    return sorted(_RULES)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Answer whether ``user`` may do ``action`` (on ``obj``); unknown actions are refused."""
    rule = _RULES.get(action)
    if rule is None:
        return False
    if user is None:
        user = AnonymousUser()
    if user.is_authenticated and not user.is_active:
        return False
    if action in ACTS_FOR_ORGANISATION and email_unverified(user):
        return False
    return bool(rule(user, obj))


class EmailUnverified(PermissionDenied):
    """Refused because the person has not yet confirmed their email address (and may)."""


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless ``user`` may do ``action`` (on ``obj``)."""
    if not can(user, action, obj):
        if action in ACTS_FOR_ORGANISATION and email_unverified(user):
            raise EmailUnverified(action)
        raise PermissionDenied(action)


def rule(action: str) -> Callable[[ViewFunc], ViewFunc]:
    """Guard a view with a policy action checked before the view runs (no object).

    Anonymous users are sent to sign in; signed-in users without permission get 403.
    Views that check an object call ``require`` themselves after loading it and are
    marked with ``rule(action)`` too, so the route test sees that every view has a rule.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if action in ACTS_FOR_ORGANISATION and email_unverified(user):
                return render(request, "core/verify_email_first.html", status=403)
            if _object_rule(action) or can(user, action):
                if _object_rule(action) and not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                return view(request, *args, **kwargs)
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(action)

        wrapped.policy_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


_OBJECT_ACTIONS: set[str] = set()


def _object_rule(action: str) -> bool:
    return action in _OBJECT_ACTIONS


def needs_object(action: str) -> bool:
    """Whether the rule for ``action`` is checked on an object (by the view, once loaded)."""
    return _object_rule(action)


def register_object(action: str, *, acts_for_organisation: bool = False) -> Callable[[Rule], Rule]:
    """Register a rule that needs the object; the view calls ``require`` once it has it."""
    _OBJECT_ACTIONS.add(action)
    return register(action, acts_for_organisation=acts_for_organisation)


# --- scope helpers for the apps' rules ------------------------------------
# Staff see only their council's records; commissioners only their directorates' work
# (``user.directorate_ids()``); the strategy group and council administrators read all of
# their council's. Objects carry ``council_id`` and, where work belongs to directorates,
# ``directorate_id`` or ``scope_directorate_ids()``.

PUBLIC = "public"


@register(PUBLIC)
def _public(user: Any, obj: Any) -> bool:
    return True


def in_council(user: Any, obj: Any) -> bool:
    """The object (or the council itself) belongs to the user's council."""
    if obj is None or is_system_admin(user):
        return True
    council_id = obj.pk if obj._meta.label_lower == "accounts.council" else obj.council_id
    return same_council(user, council_id)


def in_directorates(user: Any, obj: Any) -> bool:
    """The object belongs to (or its scope includes) one of the user's directorates."""
    if obj is None:
        return True
    scope = getattr(obj, "scope_directorate_ids", None)
    ids = set(scope()) if callable(scope) else {getattr(obj, "directorate_id", None)}
    return bool(ids & set(user.directorate_ids()))


def reads_all_of_council(user: Any) -> bool:
    """The strategy group and council administrators read all of their council's work."""
    return is_system_admin(user) or has_council_role(user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)


def council_admin_of(user: Any, council: Any) -> bool:
    """A system administrator, or an administrator of ``council`` (any council if None)."""
    if is_system_admin(user):
        return True
    if not has_council_role(user, Role.COUNCIL_ADMIN):
        return False
    return council is None or council.pk == user.council_id

"""The one permission policy: may this user do this action (on this object)?

Every view and API endpoint asks here, through ``can``/``require`` or the ``rule``
view decorator. Staff are scoped to their council; provider users to their own
organisations. Rules are registered by action name; an unknown action is refused.
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


def register(action: str) -> Callable[[Rule], Rule]:
    def decorator(func: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"Rule for {action!r} is already registered")
        _RULES[action] = func
        return func

    return decorator


def actions() -> list[str]:
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
                return render(request, "accounts/verify_email_first.html", status=403)
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


def register_object(action: str) -> Callable[[Rule], Rule]:
    """Register a rule that needs the object; the view calls ``require`` once it has it."""
    _OBJECT_ACTIONS.add(action)
    return register(action)


# --- who is who -------------------------------------------------------------

PUBLIC = "public"

# Acting for an organisation needs a confirmed email address (issue 14 must-have 7): a
# self-registered person is refused these until they follow the emailed link; ``can``
# refuses them everywhere (pages and API) and ``rule`` shows them why, with a new link.
ACTS_FOR_ORGANISATION = frozenset(
    {
        "organisations.self_service",
        "organisations.organisation.edit",
        "organisation.members.invite",
        "organisation.members.manage",
        "organisations.join.decide",
        "opportunities.provider",
        "applications.provider",
        "applications.application.edit",
        "commissioning.respond",
        "monitoring.return.edit",
        "awards.respond",
        "strategy.survey.answer",
        "reporting.feedback.give",
    }
)


# --- rules ------------------------------------------------------------------


@register(PUBLIC)
def _public(user: Any, obj: Any) -> bool:
    return True


@register("account.view")
def _account_view(user: Any, obj: Any) -> bool:
    return user.is_authenticated


@register("token.manage")
def _token_manage(user: Any, obj: Any) -> bool:
    if not user.is_authenticated:
        return False
    return obj is None or obj.user_id == user.pk


@register("staff.home")
def _staff_home(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@register("provider.home")
def _provider_home(user: Any, obj: Any) -> bool:
    return is_provider_user(user)


@register("tasks.view")
def _tasks_view(user: Any, obj: Any) -> bool:
    """Everyone signed in has a to-do list of the work waiting on them (maybe empty)."""
    return user.is_authenticated


@register_object("organisation.members.view")
def _org_members_view(user: Any, organisation: Any) -> bool:
    return membership_of(user, organisation) is not None or is_system_admin(user)


@register_object("organisation.members.invite")
def _org_members_invite(user: Any, organisation: Any) -> bool:
    membership = membership_of(user, organisation)
    return bool(membership and membership.is_admin)


@register_object("organisation.members.manage")
def _org_members_manage(user: Any, organisation: Any) -> bool:
    """Withdraw invitations, remove members and change roles: the organisation's admins."""
    return is_organisation_admin(user, organisation)


@register("invitation.accept")
def _invitation_accept(user: Any, obj: Any) -> bool:
    return not user.is_authenticated or is_provider_user(user)


@register("audit.view")
def _audit_view(user: Any, obj: Any) -> bool:
    if is_system_admin(user):
        return True
    if not has_council_role(user, Role.COUNCIL_ADMIN, Role.STRATEGY_GROUP):
        return False
    return obj is None or obj.council_id == user.council_id


@register("admin.site")
def _admin_site(user: Any, obj: Any) -> bool:
    return is_system_admin(user)


@register("council.details.edit")
def _council_details_edit(user: Any, council: Any) -> bool:
    if not has_council_role(user, Role.COUNCIL_ADMIN):
        return False
    return council is None or council.pk == user.council_id


@register("staff.manage")
def _staff_manage(user: Any, council: Any) -> bool:
    if is_system_admin(user):
        return True
    if not has_council_role(user, Role.COUNCIL_ADMIN):
        return False
    return council is None or council.pk == user.council_id


# --- strategy and commissioning ---
# Staff see only their council's records; commissioners only their directorates' work
# (``user.directorate_ids()``); the strategy group and council administrators read all of
# their council's. Objects carry ``council_id`` and, where work belongs to directorates,
# ``directorate_id`` or ``scope_directorate_ids()``.


def _in_council(user: Any, obj: Any) -> bool:
    """The object (or the council itself) belongs to the user's council."""
    if obj is None or is_system_admin(user):
        return True
    council_id = obj.pk if obj._meta.label_lower == "accounts.council" else obj.council_id
    return same_council(user, council_id)


def _in_directorates(user: Any, obj: Any) -> bool:
    if obj is None:
        return True
    scope = getattr(obj, "scope_directorate_ids", None)
    ids = set(scope()) if callable(scope) else {getattr(obj, "directorate_id", None)}
    return bool(ids & set(user.directorate_ids()))


def _reads_all_of_council(user: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)


@register("strategy.framework.view")
def _framework_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user) and _in_council(user, obj)


@register("strategy.framework.manage")
def _framework_manage(user: Any, obj: Any) -> bool:
    if is_system_admin(user):
        return True
    return has_council_role(user, Role.COUNCIL_ADMIN) and _in_council(user, obj)


@register("strategy.pots.view")
def _pots_view(user: Any, pot: Any) -> bool:
    if _reads_all_of_council(user) or has_council_role(
        user, Role.FINANCE_OFFICER, Role.PROCUREMENT_OFFICER
    ):
        return _in_council(user, pot)
    if not has_council_role(user, Role.COMMISSIONER) or not _in_council(user, pot):
        return False
    return pot is None or pot.kind in ("ring_fenced", "merged") or _in_directorates(user, pot)


@register("strategy.pots.manage")
def _pots_manage(user: Any, pot: Any) -> bool:
    return has_council_role(user, Role.FINANCE_OFFICER) and _in_council(user, pot)


@register("strategy.thresholds.view")
def _thresholds_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@register("strategy.thresholds.manage")
def _thresholds_manage(user: Any, threshold_set: Any) -> bool:
    if is_system_admin(user):
        return True
    if not has_council_role(user, Role.COUNCIL_ADMIN):
        return False
    return threshold_set is None or threshold_set.council_id == user.council_id


@register("commissioning.needs.view")
def _needs_view(user: Any, need: Any) -> bool:
    if _reads_all_of_council(user):
        return _in_council(user, need)
    return (
        has_council_role(user, Role.COMMISSIONER)
        and _in_council(user, need)
        and _in_directorates(user, need)
    )


@register("commissioning.needs.manage")
def _needs_manage(user: Any, need: Any) -> bool:
    return (
        has_council_role(user, Role.COMMISSIONER)
        and bool(user.directorate_ids())
        and _in_council(user, need)
        and _in_directorates(user, need)
    )


@register("commissioning.settings.manage")
def _commissioning_settings(user: Any, council: Any) -> bool:
    if is_system_admin(user):
        return True
    if not has_council_role(user, Role.COUNCIL_ADMIN):
        return False
    return council is None or council.pk == user.council_id


@register("commissioning.intentions.view")
def _intentions_view(user: Any, intention: Any) -> bool:
    if _reads_all_of_council(user) or has_council_role(user, Role.PROCUREMENT_OFFICER):
        return _in_council(user, intention)
    return (
        has_council_role(user, Role.COMMISSIONER)
        and _in_council(user, intention)
        and _in_directorates(user, intention)
    )


@register("commissioning.intentions.manage")
def _intentions_manage(user: Any, intention: Any) -> bool:
    return (
        has_council_role(user, Role.COMMISSIONER)
        and bool(user.directorate_ids())
        and _in_council(user, intention)
        and _in_directorates(user, intention)
    )


@register("commissioning.intentions.combine")
def _intentions_combine(user: Any, council: Any) -> bool:
    if not has_council_role(user, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN, Role.COMMISSIONER):
        return False
    return council is None or council.pk == user.council_id


@register("commissioning.method.agree")
def _method_agree(user: Any, intention: Any) -> bool:
    return has_council_role(user, Role.PROCUREMENT_OFFICER) and _in_council(user, intention)


@register("commissioning.respond")
def _commissioning_respond(user: Any, obj: Any) -> bool:
    """Organisations answer consultations and soft market tests through their members."""
    return is_provider_user(user) and (obj is None or membership_of(user, obj) is not None)


@register("commissioning.notices.view")
def _notices_view(user: Any, notice: Any) -> bool:
    if not is_provider_user(user):
        return False
    return notice is None or membership_of(user, notice.organisation) is not None


# --- organisations ---
# The register is shared between councils: staff of any council read it, editors add and
# correct records, stewards import and merge. Provider users see only their own
# organisations: admins keep the profile, members read it.

REGISTER_EDITORS = (Role.COMMISSIONER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)
REGISTER_STEWARDS = (Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN)


def _register_editor(user: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *REGISTER_EDITORS)


@register("organisations.register.view")
def _register_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@register("organisations.register.create")
def _register_create(user: Any, obj: Any) -> bool:
    return _register_editor(user)


@register("organisations.register.import")
def _register_import(user: Any, obj: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *REGISTER_STEWARDS)


@register("organisations.duplicates.review")
def _duplicates_review(user: Any, obj: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *REGISTER_STEWARDS)


@register_object("organisations.organisation.view")
def _organisation_view(user: Any, organisation: Any) -> bool:
    return is_staff_user(user) or membership_of(user, organisation) is not None


@register_object("organisations.organisation.edit")
def _organisation_edit(user: Any, organisation: Any) -> bool:
    return _register_editor(user) or is_organisation_admin(user, organisation)


@register_object("organisations.third_sector.review")
def _third_sector_review(user: Any, organisation: Any) -> bool:
    """Officers of any council review the shared register's Third Sector test answers."""
    return _register_editor(user)


@register("organisations.self_service")
def _organisation_self_service(user: Any, obj: Any) -> bool:
    """Register an organisation or ask to join one: anyone who is not council staff."""
    return not user.is_authenticated or is_provider_user(user)


@register_object("organisations.join.decide")
def _join_decide(user: Any, organisation: Any) -> bool:
    return is_organisation_admin(user, organisation)


# --- opportunities and applications ---
# Published opportunities are public. Commissioners run their directorates' opportunities,
# procurement officers any of their council's and open sealed bids. Provider users apply for
# their own organisations only. Sealed bids are also kept out of every staff query by
# ``ApplicationQuerySet.unsealed``; the application rules below check the same condition.

OPPORTUNITY_RUNNERS = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)
APPLICATION_READERS = (
    Role.COMMISSIONER,
    Role.PROCUREMENT_OFFICER,
    Role.STRATEGY_GROUP,
    Role.COUNCIL_ADMIN,
)


@register("opportunities.staff.view")
def _opportunities_staff_view(user: Any, opportunity: Any) -> bool:
    return is_staff_user(user) and _in_council(user, opportunity)


@register("opportunities.manage")
def _opportunities_manage(user: Any, opportunity: Any) -> bool:
    if is_system_admin(user):
        return True
    if has_council_role(user, Role.PROCUREMENT_OFFICER):
        return _in_council(user, opportunity)
    return (
        has_council_role(user, Role.COMMISSIONER)
        and bool(user.directorate_ids())
        and _in_council(user, opportunity)
        and _in_directorates(user, opportunity)
    )


@register("opportunities.provider")
def _opportunities_provider(user: Any, organisation: Any) -> bool:
    """Ask questions and choose alerts: members of the organisation."""
    if not is_provider_user(user):
        return False
    return organisation is None or membership_of(user, organisation) is not None


@register("applications.provider")
def _applications_provider(user: Any, organisation: Any) -> bool:
    if not is_provider_user(user):
        return False
    return organisation is None or membership_of(user, organisation) is not None


@register_object("applications.application.edit")
def _application_edit(user: Any, application: Any) -> bool:
    return is_provider_user(user) and membership_of(user, application.organisation) is not None


def _may_read_received(user: Any, opportunity: Any) -> bool:
    if is_system_admin(user):
        return True
    if has_council_role(user, Role.PROCUREMENT_OFFICER, Role.STRATEGY_GROUP, Role.COUNCIL_ADMIN):
        return _in_council(user, opportunity)
    return (
        has_council_role(user, Role.COMMISSIONER)
        and _in_council(user, opportunity)
        and _in_directorates(user, opportunity)
    )


@register("applications.received.view")
def _received_view(user: Any, opportunity: Any) -> bool:
    return _may_read_received(user, opportunity)


def _staff_may_read_application(user: Any, application: Any) -> bool:
    """Council readers of a received application, never of a draft or a sealed bid."""
    if not _may_read_received(user, application.opportunity):
        return False
    from thrive.applications.selectors import is_unsealed

    return application.status != "draft" and is_unsealed(application)


@register_object("applications.application.view")
def _application_view(user: Any, application: Any) -> bool:
    if is_provider_user(user):
        return membership_of(user, application.organisation) is not None
    return _staff_may_read_application(user, application)


@register_object("applications.application.review")
def _application_review(user: Any, application: Any) -> bool:
    return is_staff_user(user) and _staff_may_read_application(user, application)


@register_object("applications.application.screen")
def _application_screen(user: Any, application: Any) -> bool:
    return _opportunities_manage(user, application.opportunity) and _application_review(
        user, application
    )


@register_object("applications.small_grants.decide")
def _small_grant_decide(user: Any, application: Any) -> bool:
    """One officer decides a small grant: a commissioner of the directorate running it."""
    return (
        has_council_role(user, Role.COMMISSIONER)
        and _in_council(user, application.opportunity)
        and _in_directorates(user, application.opportunity)
        and _staff_may_read_application(user, application)
    )


@register("applications.bids.open")
def _bids_open(user: Any, opportunity: Any) -> bool:
    return has_council_role(user, Role.PROCUREMENT_OFFICER) and _in_council(user, opportunity)


@register("applications.openings.view")
def _openings_view(user: Any, obj: Any) -> bool:
    return is_system_admin(user) or has_council_role(user, *APPLICATION_READERS)


@register("applications.forms.view")
def _forms_view(user: Any, obj: Any) -> bool:
    return is_staff_user(user)


@register("applications.small_grants.configure")
def _small_grants_configure(user: Any, council: Any) -> bool:
    if is_system_admin(user):
        return True
    return has_council_role(user, Role.COUNCIL_ADMIN) and (
        council is None or council.pk == user.council_id
    )

"""Staff roles and who is who: council staff, system administrators, provider users.

The roles are plain choices, below every app, so the permission policy and each app's rules
can name them without importing the accounts app. The helpers read only what a user object
carries (``council_id``, ``has_role``, ``memberships``), so they work for any user model.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Role(models.TextChoices):
    """Staff roles (DESIGN §1). Provider users hold memberships, not roles."""

    COMMISSIONER = "commissioner", "Commissioner"
    PROCUREMENT_OFFICER = "procurement_officer", "Procurement officer"
    ASSESSOR = "assessor", "Assessor"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    STRATEGY_GROUP = "strategy_group", "Corporate Third Sector Group"
    COUNCIL_ADMIN = "council_admin", "Council administrator"
    SYSTEM_ADMIN = "system_admin", "System administrator"


ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.COMMISSIONER: "Records needs, writes commissioning intentions, runs opportunities, "
    "makes awards and oversees monitoring for a directorate.",
    Role.PROCUREMENT_OFFICER: "Agrees the procurement route and opens sealed tenders after "
    "the deadline.",
    Role.ASSESSOR: "Declares conflicts and scores the applications assigned to them.",
    Role.FINANCE_OFFICER: "Manages funding pots, budgets and payment schedules.",
    Role.STRATEGY_GROUP: "Reads everything across directorates: reports, the action plan and "
    "indicators.",
    Role.COUNCIL_ADMIN: "Configures the council and manages its staff accounts.",
    Role.SYSTEM_ADMIN: "Configures the installation: councils, outcomes, thresholds and users.",
}

COUNCIL_ROLES = frozenset(r.value for r in Role if r != Role.SYSTEM_ADMIN)


def is_system_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.SYSTEM_ADMIN)))


def is_staff_user(user: Any) -> bool:
    return bool(user.is_authenticated and (user.council_id or is_system_admin(user)))


def is_provider_user(user: Any) -> bool:
    return bool(user.is_authenticated and not user.council_id and not is_system_admin(user))


def may_start_application(user: Any) -> bool:
    """Show "Start" to a provider user, or to anyone signed out (asked to sign in first)."""
    return not user.is_authenticated or is_provider_user(user)


def has_council_role(user: Any, *roles: str) -> bool:
    return bool(user.is_authenticated and user.council_id and user.has_role(*roles))


def same_council(user: Any, council_id: int | None) -> bool:
    return bool(user.is_authenticated and council_id and user.council_id == council_id)


def membership_of(user: Any, organisation: Any) -> Any:
    """The user's membership of the organisation, or None (cached per request user)."""
    if not user.is_authenticated or organisation is None:
        return None
    cache = getattr(user, "_memberships", None)
    if cache is None:
        cache = {m.organisation_id: m for m in user.memberships.all()}
        user._memberships = cache
    return cache.get(organisation.pk)


def is_organisation_admin(user: Any, organisation: Any) -> bool:
    membership = membership_of(user, organisation)
    return bool(membership and membership.is_admin)


def email_unverified(user: Any) -> bool:
    """A signed-in person who has not yet confirmed their email address."""
    return bool(user.is_authenticated and not getattr(user, "email_verified", True))

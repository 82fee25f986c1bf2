"""Reads about accounts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from thrive.accounts.models import ApiToken, Membership, Role, RoleAssignment, User
from thrive.audit.models import AuditEvent
from thrive.core import policy
from thrive.core.prepared import PreparedRead


def tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def account_summary(*, user: User) -> dict[str, Any]:
    """What the account page shows: who you are, your council and roles, your organisations."""
    # The permission rules read this module at start-up, and ``thrive import`` must start
    # without the account services.
    # lazy: they load only with the account page.
    from thrive.accounts.services import two_factor

    return {
        "roles": [Role(code).label for code in sorted(user.role_codes())],
        "memberships": list(user.memberships.select_related("organisation")),
        "council": user.council,
        "two_factor_on": two_factor.has_two_factor(user=user),
    }


def staff_for_user(*, user: User, search: str = "") -> QuerySet[User]:
    """Staff accounts the user may manage: their council's, or every council's for system admins."""
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


def personal_data(*, user: User) -> dict[str, Any]:
    """Everything the service holds about a person, for a subject access request."""
    return {
        "account": {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "council": user.council.name if user.council_id else None,
            "active": user.is_active,
            "todo_emails": user.todo_emails,
        },
        "roles": [
            {"role": a.role, "granted_at": a.granted_at.isoformat()}
            for a in user.role_assignments.all()
        ],
        "memberships": [
            {
                "organisation": m.organisation.name,
                "is_admin": m.is_admin,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in user.memberships.select_related("organisation")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in user.api_tokens.all()
        ],
        "recorded_actions": list(
            AuditEvent.objects.filter(actor=user)
            .order_by("sequence")
            .values("sequence", "occurred_at", "action", "object_type", "object_id")
        ),
    }


def staff_who_may(*, council: Any, roles: Iterable[str], action: str, obj: Any) -> list[User]:
    """The council's active staff holding one of the roles whom the policy lets do the action.

    Each person's roles are loaded once with the list, so the policy's checks ask nothing more
    of the database.
    """
    people = (
        User.objects.filter(is_active=True, council=council, role_assignments__role__in=list(roles))
        .distinct()
        .prefetch_related("role_assignments")
        .order_by("pk")
    )
    allowed = []
    for person in people:
        assignments = person.role_assignments.all()
        person._role_codes = frozenset(a.role for a in assignments)
        person._directorate_ids = frozenset(
            a.directorate_id for a in assignments if a.directorate_id
        )
        if policy.can(person, action, obj):
            allowed.append(person)
    return allowed


def _roles_held() -> Subquery:
    """How many roles the membership's user holds (0 for nearly every provider user)."""
    roles = (
        RoleAssignment.objects.filter(user_id=OuterRef("user_id"))
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(roles), 0)


def _prime(user: Any, memberships: list[Membership]) -> None:
    user._memberships = {m.organisation_id: m for m in memberships}
    if memberships and memberships[0].roles_held == 0 and not hasattr(user, "_role_codes"):
        user._role_codes = frozenset()


def prime_provider_access(*, user: Any) -> None:
    """Read a provider user's memberships (with their organisations) and whether they hold
    any role in one query, into the per-request caches the permission rules read
    (``core.roles.membership_of`` and ``User.role_codes``): an API call checks both."""
    if not user.is_authenticated or user.council_id:
        return
    if getattr(user, "_memberships", None) is not None:
        return
    memberships = list(
        Membership.objects.filter(user_id=user.pk)
        .select_related("organisation")
        .annotate(roles_held=_roles_held())
    )
    _prime(user, memberships)


def _provider_by_token(*, key_hash: str) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            user__api_tokens__key_hash=key_hash,
            user__api_tokens__revoked_at__isnull=True,
            user__is_active=True,
            user__council__isnull=True,
        )
        .select_related("user", "organisation")
        .order_by()
        .annotate(
            token_id=F("user__api_tokens__id"),
            token_last_used_at=F("user__api_tokens__last_used_at"),
            roles_held=_roles_held(),
        )
    )


# Every API call reads it: compiled once per connection (``core.prepared``).
PROVIDER_BY_TOKEN = PreparedRead(_provider_by_token, key_hash=str)


@dataclass(frozen=True)
class TokenHolder:
    """An active API token's id and last use, and its active user."""

    token_id: int
    last_used_at: datetime | None
    user: User


def token_holder(*, key_hash: str) -> TokenHolder | None:
    """The active token with this hash and its active user, or None.

    A provider user's memberships (with their organisations) and whether they hold any role
    come in the same query, primed as ``prime_provider_access`` does, since every API call
    checks them: one query in all. Anyone else (council staff, someone in no organisation)
    is read by a second query.
    """
    memberships = PROVIDER_BY_TOKEN(key_hash=key_hash)
    if memberships:
        user = memberships[0].user
        for membership in memberships:
            membership.user = user
        _prime(user, memberships)
        first = memberships[0]
        return TokenHolder(first.token_id, first.token_last_used_at, user)
    token = ApiToken.objects.active().select_related("user").filter(key_hash=key_hash).first()
    if token is None or not token.user.is_active:
        return None
    return TokenHolder(token.pk, token.last_used_at, token.user)

"""API: who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from thrive.core import policy
from thrive.core.api.errors import ERRORS_READ

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    is_admin: bool


class MeOut(Schema):
    id: int
    username: str
    email: str
    full_name: str
    kind: str
    council: str | None
    roles: list[str]
    memberships: list[MembershipOut]


@router.get("/me", response={200: MeOut, **ERRORS_READ}, summary="The signed-in user")
def me(request: HttpRequest) -> MeOut:
    """Who the request is signed in as: council staff with roles, or a provider user."""
    user = request.auth
    policy.require(user, "account.view")
    return MeOut(
        id=user.pk,
        username=user.username,
        email=user.email,
        full_name=user.get_full_name(),
        kind="staff" if policy.is_staff_user(user) else "provider",
        council=user.council.name if user.council_id else None,
        roles=sorted(user.role_codes()),
        memberships=[
            MembershipOut(
                organisation_id=m.organisation_id,
                organisation_name=m.organisation.name,
                is_admin=m.is_admin,
            )
            for m in user.memberships.select_related("organisation")
        ],
    )

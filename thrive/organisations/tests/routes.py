from typing import Any

from thrive.testing.routes import (
    ANONYMOUS,
    AS_GET,
    LOGIN,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    STAFF_ROLES,
    Expect,
    only,
    public,
)

EDITORS = ("commissioner", "strategy_group", "council_admin", "system_admin")
STEWARDS = ("strategy_group", "council_admin", "system_admin")


def prepare(world: Any) -> None:
    """Objects the organisation routes are tried against."""
    from thrive.accounts.tests.factories import UserFactory
    from thrive.organisations.tests.factories import (
        ContactFactory,
        DuplicateCandidateFactory,
        IdentifierFactory,
        JoinRequestFactory,
        OrganisationFactory,
        ServiceFactory,
    )

    world.duplicate = DuplicateCandidateFactory()
    world.listed = OrganisationFactory(directory_opt_in=True)
    world.identifier = IdentifierFactory(organisation=world.organisation)
    world.service = ServiceFactory(organisation=world.organisation)
    world.contact = ContactFactory(organisation=world.organisation)
    world.join_request = JoinRequestFactory(organisation=world.organisation, user=UserFactory())
    world.member_membership = world.users[PROVIDER_MEMBER].memberships.get(
        organisation=world.organisation
    )


def _org(world: Any) -> dict[str, int]:
    return {"organisation_id": world.organisation.pk}


def _editors(**kwargs: Any) -> Expect:
    """A page of the register every council shares, kept by editors and the organisation."""
    return only(PROVIDER_ADMIN, *EDITORS, shared=True, **kwargs)


NOT_STAFF = {role: 403 for role in STAFF_ROLES}

ROUTES = {
    "organisations:list": only(*STAFF_ROLES),
    "organisations:export": only(*STAFF_ROLES),
    "organisations:add": only(*EDITORS, post=AS_GET),
    "organisations:register": Expect(200, NOT_STAFF, post=AS_GET),
    "organisations:find": Expect(200, NOT_STAFF),
    "organisations:import": only(*STEWARDS, post=AS_GET),
    "organisations:duplicates": only(*STEWARDS),
    "organisations:duplicate": only(
        *STEWARDS,
        kwargs=lambda world: {"candidate_id": world.duplicate.pk},
        shared=True,
        post=AS_GET,
    ),
    "organisations:detail": only(
        PROVIDER_ADMIN, PROVIDER_MEMBER, *STAFF_ROLES, kwargs=_org, shared=True
    ),
    "organisations:edit": _editors(kwargs=_org, post=AS_GET),
    "organisations:identifiers": _editors(kwargs=_org, post=AS_GET),
    "organisations:remove_identifier": Expect(
        405,
        kwargs=lambda world: {**_org(world), "identifier_id": world.identifier.pk},
        post=(PROVIDER_ADMIN, *EDITORS),
        shared=True,
    ),
    "organisations:third_sector_test": _editors(kwargs=_org, post=AS_GET),
    "organisations:third_sector_review": only(*EDITORS, kwargs=_org, shared=True, post=AS_GET),
    "organisations:income": _editors(kwargs=_org, post=AS_GET),
    "organisations:services": _editors(kwargs=_org, post=AS_GET),
    "organisations:remove_service": Expect(
        405,
        kwargs=lambda world: {**_org(world), "service_id": world.service.pk},
        post=(PROVIDER_ADMIN, *EDITORS),
        shared=True,
    ),
    "organisations:contacts": _editors(kwargs=_org, post=AS_GET),
    "organisations:remove_contact": Expect(
        405,
        kwargs=lambda world: {**_org(world), "contact_id": world.contact.pk},
        post=(PROVIDER_ADMIN, *EDITORS),
        shared=True,
    ),
    "organisations:join": Expect(
        200, NOT_STAFF | {PROVIDER_ADMIN: 302, PROVIDER_MEMBER: 302}, kwargs=_org, post=AS_GET
    ),
    "organisations:members": only(PROVIDER_ADMIN, PROVIDER_MEMBER, "system_admin", kwargs=_org),
    "organisations:invite": only(PROVIDER_ADMIN, kwargs=_org, post=AS_GET),
    "organisations:remove_member": only(
        PROVIDER_ADMIN,
        kwargs=lambda world: {**_org(world), "membership_id": world.member_membership.pk},
        post=AS_GET,
    ),
    "organisations:member_role": only(
        PROVIDER_ADMIN,
        kwargs=lambda world: {**_org(world), "membership_id": world.member_membership.pk},
        post=AS_GET,
    ),
    "organisations:withdraw_invitation": only(
        PROVIDER_ADMIN,
        kwargs=lambda world: {**_org(world), "invitation_id": world.invitation.pk},
        post=AS_GET,
    ),
    "organisations:decide_join": Expect(
        405,
        kwargs=lambda world: {**_org(world), "request_id": world.join_request.pk},
        post=(PROVIDER_ADMIN,),
    ),
    "directory:list": public(),
    "directory:detail": public(
        kwargs=lambda world: {"organisation_id": world.listed.pk}, shared=True
    ),
}

__all__ = ["ANONYMOUS", "LOGIN", "ROUTES", "prepare"]

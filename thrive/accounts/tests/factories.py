"""Factories for accounts: councils, staff with roles, provider users, tokens."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from thrive.accounts.models import Council, Invitation, Membership, Role, RoleAssignment, User
from thrive.testing.two_factor import with_two_factor

PASSWORD = "correct-horse-battery"


@cache
def _password_hash() -> str:
    return make_password(PASSWORD)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A provider user (no council)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.LazyFunction(_password_hash)


class StaffFactory(UserFactory):
    council = factory.SubFactory(CouncilFactory)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(StaffFactory)
    role = Role.COMMISSIONER
    council = factory.LazyAttribute(lambda a: a.user.council)


def staff_with_role(
    role: str, council: Council | None = None, two_factor: bool | None = None, **kwargs
) -> User:
    """A council staff user holding one role (system admins have no council).

    Administrators, who must use two-factor sign-in, get an authenticator app and a verified
    session from ``force_login`` unless ``two_factor=False``; others get one if asked.
    """
    if two_factor is None:
        two_factor = role in (Role.SYSTEM_ADMIN, Role.COUNCIL_ADMIN)
    if role == Role.SYSTEM_ADMIN:
        user = UserFactory(is_staff=True, is_superuser=True, **kwargs)
        RoleAssignment.objects.create(user=user, role=role)
    else:
        user = StaffFactory(
            council=council or CouncilFactory(name="Westshire County Council", slug="westshire"),
            **kwargs,
        )
        RoleAssignment.objects.create(user=user, role=role, council=user.council)
    return with_two_factor(user) if two_factor else user


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory("thrive.organisations.tests.factories.OrganisationFactory")
    is_admin = False


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory("thrive.organisations.tests.factories.OrganisationFactory")
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))

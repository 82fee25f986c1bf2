"""Reading a provider user's memberships and roles for the permission rules in one query."""

from __future__ import annotations

import pytest

from thrive.accounts.models import User
from thrive.accounts.selectors import prime_provider_access
from thrive.accounts.tests.factories import MembershipFactory
from thrive.core.roles import membership_of
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_one_query_gives_the_rules_memberships_and_no_roles(django_assert_num_queries) -> None:
    membership = MembershipFactory(is_admin=True)
    user = User.objects.get(pk=membership.user_id)
    with django_assert_num_queries(1):
        prime_provider_access(user=user)
        assert membership_of(user, membership.organisation).is_admin
        assert membership_of(user, OrganisationFactory.build(pk=10**9)) is None
        assert user.role_codes() == frozenset()


def test_a_cache_cleared_after_joining_an_organisation_is_read_again() -> None:
    membership = MembershipFactory()
    user = User.objects.get(pk=membership.user_id)
    user._memberships = None  # as the organisation API does after a user registers one
    prime_provider_access(user=user)
    assert set(user._memberships) == {membership.organisation_id}

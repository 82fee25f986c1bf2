"""The application read under its lock for a provider user: theirs only, with the
organisation they belong to, however their memberships changed since the request began."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from thrive.accounts.selectors import prime_provider_access
from thrive.accounts.tests.factories import MembershipFactory
from thrive.applications import selectors
from thrive.applications.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> Any:
    membership = MembershipFactory(organisation__name="Siobhán's Kitchen")
    user = membership.user
    prime_provider_access(user=user)
    return user


def test_a_members_application_comes_with_their_organisation_in_one_query(
    member: Any, django_assert_num_queries: Any
) -> None:
    organisation = next(iter(member._memberships.values())).organisation
    application = ApplicationFactory(organisation=organisation)
    with transaction.atomic(), django_assert_num_queries(1):
        found = selectors.locked_application(pk=application.pk, member=member)
        assert found.organisation.name == "Siobhán's Kitchen"
        assert found.opportunity.council.name == application.opportunity.council.name
        assert found.form_version.template.code == application.form_version.template.code


def test_another_organisations_application_is_not_found(member: Any) -> None:
    application = ApplicationFactory()
    with transaction.atomic():
        assert selectors.locked_application(pk=application.pk, member=member) is None
        assert selectors.locked_application(pk=application.pk + 1000, member=member) is None


def test_an_organisation_joined_since_the_memberships_were_read_is_read_when_asked(
    member: Any,
) -> None:
    joined = MembershipFactory(user=member, organisation__name="Later Lane Trust")
    application = ApplicationFactory(organisation=joined.organisation)
    with transaction.atomic():
        found = selectors.locked_application(pk=application.pk, member=member)
    assert found.organisation.name == "Later Lane Trust"


def test_a_membership_ended_since_they_were_read_finds_nothing(member: Any) -> None:
    membership = next(iter(member._memberships.values()))
    application = ApplicationFactory(organisation=membership.organisation)
    membership.delete()
    with transaction.atomic():
        assert selectors.locked_application(pk=application.pk, member=member) is None

"""Fixtures for the register's tests: reference data and the people who use it."""

from __future__ import annotations

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.core.reference import ensure_beneficiary_groups, ensure_county_areas


@pytest.fixture
def council(db):
    return CouncilFactory(name="Westshire County Council", slug="westshire")


@pytest.fixture
def areas(council):
    return {area.name: area for area in ensure_county_areas(council)}


@pytest.fixture
def groups(db):
    return {group.code: group for group in ensure_beneficiary_groups()}


@pytest.fixture
def steward(council):
    return staff_with_role(Role.COUNCIL_ADMIN, council=council)


@pytest.fixture
def commissioner(council):
    return staff_with_role(Role.COMMISSIONER, council=council)


@pytest.fixture
def org_admin(db):
    return MembershipFactory(is_admin=True)

"""Fixtures shared by the reporting tests: a council and a reader of its reports."""

from __future__ import annotations

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role


@pytest.fixture
def council():
    return CouncilFactory(name="Westshire County Council", slug="westshire")


@pytest.fixture
def strategy(client, council):
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=council))
    return client

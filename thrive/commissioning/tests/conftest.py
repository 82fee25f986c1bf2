"""Shared set-up for commissioning tests: a council with a directorate and its commissioner."""

from __future__ import annotations

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.commissioning.tests.factories import AreaFactory, commissioner_of
from thrive.core.reference import ensure_beneficiary_groups
from thrive.strategy.defaults import ensure_default_framework
from thrive.strategy.tests.factories import DirectorateFactory


@pytest.fixture
def directorate(db):
    directorate = DirectorateFactory(code="adults", name="Adult Social Care")
    ensure_beneficiary_groups()
    ensure_default_framework(directorate.council)
    return directorate


@pytest.fixture
def council(directorate):
    return directorate.council


@pytest.fixture
def commissioner(directorate):
    return commissioner_of(directorate)


@pytest.fixture
def area(council):
    return AreaFactory(council=council)


@pytest.fixture
def procurement(council):
    return staff_with_role(Role.PROCUREMENT_OFFICER, council=council)

"""Later pages of the register carry the same columns as the first: each page's columns
are worked out for its own rows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.awards.tests.factories import AwardFactory
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[tuple[str, str]]:
    """(name, funded) of each row of the register's table."""
    return re.findall(
        r">(Register org \d+)</a>.*?<td class=\"govuk-table__cell\">(Yes|No)</td>", html, re.S
    )


def test_the_second_page_has_the_next_organisations_with_their_columns(client) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    organisations = [OrganisationFactory(name=f"Register org {n:02d}") for n in range(30)]
    AwardFactory(organisation=organisations[27], council=staff.council)
    client.force_login(staff)
    first = client.get(reverse("organisations:list")).text
    second = client.get(reverse("organisations:list"), {"page": 2}).text
    assert [name for name, _ in _rows(first)] == [f"Register org {n:02d}" for n in range(25)]
    assert _rows(second) == [
        (f"Register org {n:02d}", "Yes" if n == 27 else "No") for n in range(25, 30)
    ]
    funded = client.get(reverse("organisations:list"), {"funded": "yes"}).text
    assert _rows(funded) == [("Register org 27", "Yes")]

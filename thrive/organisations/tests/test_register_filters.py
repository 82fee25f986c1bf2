"""The register's and directory's area and outcome filters offer each choice once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.core.models import Area
from thrive.core.reference import ensure_county_areas
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.defaults import ensure_default_framework
from thrive.strategy.models import Outcome


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select[1], re.S)]


@pytest.fixture
def two_councils(db):
    """Two councils on the installation, each with the strategy's areas and outcomes."""
    westshire = CouncilFactory(name="Westshire County Council", slug="westshire")
    eastvale = CouncilFactory(name="Eastvale Borough Council", slug="eastvale")
    for council in (westshire, eastvale):
        ensure_county_areas(council)
        ensure_default_framework(council)
    return westshire, eastvale


def test_the_register_offers_each_area_and_outcome_of_the_officers_council_once(
    client, two_councils
) -> None:
    westshire, _ = two_councils
    client.force_login(staff_with_role(Role.COMMISSIONER, council=westshire))
    html = client.get(reverse("organisations:list")).content.decode()
    areas = _options(html, "area")
    outcomes = _options(html, "outcome")
    assert len(areas) == Area.objects.filter(council=westshire).count() + 1
    assert len(outcomes) == Outcome.objects.active().filter(council=westshire).count() + 1
    assert len(set(areas)) == len(areas) and len(set(outcomes)) == len(outcomes)


def test_the_register_filters_by_an_area_of_the_officers_council(client, two_councils) -> None:
    westshire, _ = two_councils
    area = Area.objects.filter(council=westshire, county_wide=False).first()
    OrganisationFactory(name="Served Here").areas.add(area)
    OrganisationFactory(name="Served Elsewhere")
    client.force_login(staff_with_role(Role.COMMISSIONER, council=westshire))
    html = client.get(reverse("organisations:list"), {"area": area.pk}).content.decode()
    assert "Served Here" in html and "Served Elsewhere" not in html


def test_the_public_directory_names_each_area_and_outcome_once(client, two_councils) -> None:
    html = client.get(reverse("directory:list")).content.decode()
    areas = _options(html, "area")
    outcomes = _options(html, "outcome")
    assert len(areas) == Area.objects.count() + 1
    assert len(outcomes) == Outcome.objects.active().count() + 1
    assert len(set(areas)) == len(areas) and len(set(outcomes)) == len(outcomes)

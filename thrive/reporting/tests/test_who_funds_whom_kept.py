"""Who funds whom is worked out once and kept: an award's change counts the councils' awards
again and an import the imported grants, never the other, and the next page shows either."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.awards.models import AwardYear
from thrive.awards.tests.factories import AwardFactory
from thrive.core.models import Area
from thrive.opendata.importing import import_360giving
from thrive.opendata.tests.factories import ExternalGrantFactory
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.reporting import funders
from thrive.reporting.models import FiguresVersion
from thrive.reporting.tests.test_kept_figures import settle

pytestmark = pytest.mark.django_db

HERE = "E07000302"
URL = "reporting:who_funds_whom"


@pytest.fixture
def world(council):
    here = Area.objects.create(council=council, name="Brackenford", gss_code=HERE)
    club = OrganisationFactory(name="Brackenford Lunch Club")
    club.areas.add(here)
    award = AwardFactory(organisation=club, council=council, years={2025: 100_000})
    ExternalGrantFactory(recipient=club, geo_codes=[HERE], award_date=date(2025, 6, 1))
    settle()
    return {"here": here, "club": club, "award": award}


@pytest.fixture
def counted(monkeypatch):
    """How many times the councils' awards (twice a count: by year and in total) and the
    imported grants were counted afresh."""
    calls: dict[str, int] = {"awards": 0, "imported": 0}
    for name, key in (("_award_rows", "awards"), ("_imported_rows", "imported")):
        real = getattr(funders, name)

        def counting(*args, real=real, key=key, **kwargs):
            calls[key] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(funders, name, counting)
    return calls


def totals(client, **params) -> dict[str, int]:
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    result = response.context["result"]
    return {row.funder: row.amount_pence for row in result.totals}


def import_grant(code: str, *, funder: str = "Oak Trust", amount: int = 4000, dry_run=False):
    grant = {
        "id": f"360G-oak-{code}-{amount}",
        "title": "Lunches",
        "currency": "GBP",
        "amountAwarded": amount,
        "awardDate": "2025-07-01",
        "recipientOrganization": [{"id": "GB-CHC-1234567", "name": "Lunch Club"}],
        "fundingOrganization": [{"id": "360G-oak", "name": funder}],
        "beneficiaryLocation": [{"name": "Here", "geoCode": code, "geoCodeType": "NMD"}],
    }
    stream = io.BytesIO(json.dumps({"grants": [grant]}).encode())
    return import_360giving(stream=stream, filename="oak.json", dry_run=dry_run)


def test_the_page_is_counted_once_then_served_kept_in_few_queries(
    strategy, world, counted, django_assert_max_num_queries
) -> None:
    first = totals(strategy)
    assert first == {"Westshire County Council": 100_000, "Test Trust": 250_000}
    assert counted == {"awards": 2, "imported": 1}
    for params in ({}, {"area": world["here"].pk}, {"area": world["here"].pk, "year": 2025}):
        totals(strategy, **params)  # each filter's figures counted once, then kept
        counted_before = dict(counted)
        with django_assert_max_num_queries(14):
            assert totals(strategy, **params) == first
        assert counted == counted_before  # nothing counted again


def test_an_import_shows_on_the_next_page_without_counting_the_awards_again(
    strategy, world, counted, django_capture_on_commit_callbacks
) -> None:
    totals(strategy)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_grant(HERE).created == 1
    assert totals(strategy) == {
        "Westshire County Council": 100_000,
        "Test Trust": 250_000,
        "Oak Trust": 400_000,
    }
    assert counted == {"awards": 2, "imported": 2}


def test_a_dry_run_import_moves_no_figures_on(
    strategy, world, counted, django_capture_on_commit_callbacks
) -> None:
    totals(strategy)
    versions = list(FiguresVersion.objects.values_list("open_data_version", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        import_grant(HERE, dry_run=True)
    assert list(FiguresVersion.objects.values_list("open_data_version", flat=True)) == versions
    assert "Oak Trust" not in totals(strategy)


def test_an_award_change_shows_on_the_next_page_without_counting_the_grants_again(
    strategy, world, counted, django_capture_on_commit_callbacks
) -> None:
    totals(strategy)
    with django_capture_on_commit_callbacks(execute=True):
        AwardYear.objects.filter(award=world["award"]).update(amount_pence=120_000)
        world["award"].save()  # the awards services save the award with its parts
    assert totals(strategy)["Westshire County Council"] == 120_000
    assert counted == {"awards": 4, "imported": 1}


def test_a_second_council_sees_the_funders_of_its_own_area_only(
    client, strategy, world, django_capture_on_commit_callbacks
) -> None:
    eastshire = CouncilFactory(name="Eastshire Council", slug="eastshire")
    far = Area.objects.create(council=eastshire, name="Farholm", gss_code="E07000399")
    choir = OrganisationFactory(name="Farholm Choir")
    choir.areas.add(far)
    AwardFactory(organisation=choir, council=eastshire, years={2025: 30_000})
    settle()
    totals(strategy)
    with django_capture_on_commit_callbacks(execute=True):
        import_grant("E07000399", funder="Fen Trust", amount=700)
    theirs = client.__class__()
    theirs.force_login(staff_with_role(Role.STRATEGY_GROUP, council=eastshire))
    assert totals(theirs) == {"Eastshire Council": 30_000, "Fen Trust": 70_000}
    assert totals(strategy) == {"Westshire County Council": 100_000, "Test Trust": 250_000}
    assert totals(strategy, area=world["here"].pk, year=2025) == {
        "Westshire County Council": 100_000,
        "Test Trust": 250_000,
    }


def test_the_worker_keeps_every_councils_figures_after_an_import(
    strategy, world, counted, settings, django_capture_on_commit_callbacks
) -> None:
    settings.THRIVE_PREBUILD_REPORTS = True
    totals(strategy)
    with django_capture_on_commit_callbacks(execute=True):
        import_grant(HERE)
    assert counted["imported"] == 2  # added up in the background (tasks run at once in tests)
    assert totals(strategy)["Oak Trust"] == 400_000
    assert counted["imported"] == 2  # the page read them kept

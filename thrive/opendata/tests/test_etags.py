"""The public ETags say only what is published: a sealed bid, started, saved or submitted,
never moves them; a published change always does (issue 14, finding 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts.tests.factories import staff_with_role
from thrive.applications.services import sealed
from thrive.audit.tests import journeys
from thrive.awards.models import AwardKind
from thrive.awards.tests.factories import AwardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The bidder is also a grant holder, so its organisation is in the 360Giving file.
    world = journeys.sealed_tender()
    AwardFactory(
        council=world["council"],
        organisation=world["organisation"],
        kind=AwardKind.FUNDING_AGREEMENT,
    )
    return world


def _etags(council) -> tuple[str, str, str]:
    client = Client()
    return (
        client.get(f"/api/v1/opendata/ocds.json?council={council.slug}")["ETag"],
        client.get(f"/api/v1/opendata/360giving.json?council={council.slug}")["ETag"],
        client.get(f"/open-data/{council.slug}/360giving.csv")["ETag"],
    )


def test_starting_saving_and_submitting_a_sealed_bid_leaves_the_etags_alone(world) -> None:
    council = world["tender"].council
    before = _etags(council)
    application = journeys.start_and_save(world)
    assert _etags(council) == before
    journeys.submit(world, application)
    assert _etags(council) == before
    journeys.withdraw(world, application)
    assert _etags(council) == before


def test_a_published_change_moves_the_etags(world) -> None:
    tender, council = world["tender"], world["tender"].council
    before = _etags(council)
    tender.title = "Carers support, renamed"
    tender.save()
    ocds_after, *_ = _etags(council)
    assert ocds_after != before[0]
    AwardFactory(council=council, kind=AwardKind.SMALL_GRANT)
    assert _etags(council)[1:] != before[1:]


def test_the_ocds_etag_moves_at_the_deadline_and_at_the_opening(world) -> None:
    tender, council = world["tender"], world["tender"].council
    journeys.submit(world, journeys.start_and_save(world))
    open_etag = _etags(council)[0]
    # Only the clock moves: the tender's published status and bid count now may change.
    type(tender).objects.filter(pk=tender.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1), updated_at=tender.updated_at
    )
    closed_etag = _etags(council)[0]
    assert closed_etag != open_etag
    tender.refresh_from_db()
    procurement = staff_with_role("procurement_officer", council=council)
    sealed.open_sealed_bids(opportunity=tender, actor=procurement)
    assert _etags(council)[0] != closed_etag

"""An amended tender is published in OCDS the 1.1 way: a new ``tenderAmendment`` release with
``tender.amendments`` (why, when, what changed) and the terms as amended (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.tests import journeys
from thrive.opendata import ocds, publishing
from thrive.opendata.tests.test_ocds import _assert_valid, _package
from thrive.opportunities.amendments import amend_opportunity, display_value

pytestmark = pytest.mark.django_db

REASON = "Several providers asked for more time to form consortia"


def _tender_release(world) -> dict:
    tender = world["tender"]
    ocid = f"{publishing.publisher_for(tender.council).ocid_prefix}-{tender.reference}"
    package = _package(tender.council)
    _assert_valid(package)
    (release,) = [r for r in package["releases"] if r["ocid"] == ocid]
    return release


def _extend(world, days: int, reason: str = REASON):
    tender = world["tender"]
    officer = staff_with_role("procurement_officer", council=tender.council)
    new_close = tender.closes_at + timedelta(days=days)
    result = amend_opportunity(
        opportunity=tender, actor=officer, reason=reason, closes_at=new_close
    )
    assert result.amendment is not None
    return result.amendment, new_close


def test_an_extended_deadline_is_published_as_a_valid_tender_amendment() -> None:
    world = journeys.sealed_tender()
    before = _tender_release(world)
    assert before["tag"] == ["tender"] and "amendments" not in before["tender"]
    old_close = world["tender"].closes_at

    amendment, new_close = _extend(world, days=14)
    release = _tender_release(world)

    assert "tenderAmendment" in release["tag"]
    assert release["id"] != before["id"], "harvesters must see a new release"
    assert release["date"] == timezone.localtime(amendment.made_at).isoformat()
    tender = release["tender"]
    assert tender["tenderPeriod"]["endDate"] == timezone.localtime(new_close).isoformat()
    (published,) = tender["amendments"]
    assert published["id"] == "1"
    assert published["rationale"] == REASON
    assert published["date"] == release["date"]
    assert display_value("closes_at", old_close) in published["description"]
    assert display_value("closes_at", new_close) in published["description"]
    assert published["amendsReleaseID"] == before["id"]
    assert published["releaseID"] == release["id"]


def test_each_amendment_is_a_new_release_that_lists_them_all() -> None:
    world = journeys.sealed_tender()
    _extend(world, days=7)
    first = _tender_release(world)
    world["tender"].refresh_from_db()
    _extend(world, days=7, reason="The specification was clarified")
    second = _tender_release(world)
    assert second["id"] != first["id"]
    amendments = second["tender"]["amendments"]
    assert [a["id"] for a in amendments] == ["1", "2"]
    assert amendments[1]["amendsReleaseID"] == first["id"] == amendments[0]["releaseID"]
    assert amendments[1]["rationale"] == "The specification was clarified"


def test_an_amendment_moves_the_fingerprint_and_a_sealed_bid_still_does_not() -> None:
    world = journeys.sealed_tender()
    council = world["council"]
    before = ocds.fingerprint(council)
    journeys.submit(world, journeys.start_and_save(world))
    assert ocds.fingerprint(council) == before
    world["tender"].refresh_from_db()
    _extend(world, days=14)
    assert ocds.fingerprint(council) != before

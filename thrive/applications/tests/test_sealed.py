"""Sealed bids: no council user reads a tender or quotation through any channel (page,
export, API, admin, attachment) until the deadline has passed and the opening is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from thrive.accounts import services as account_services
from thrive.accounts.tests.factories import staff_with_role
from thrive.applications.seed import TENDER_ANSWERS
from thrive.applications.services import sealed
from thrive.applications.tests.factories import AttachmentFactory, SubmittedApplicationFactory
from thrive.awards.tests.factories import DirectorateFactory
from thrive.opportunities.tests.factories import TenderFactory

pytestmark = pytest.mark.django_db

SECRET = "Our secret price strategy"


@pytest.fixture
def tender_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    tender = TenderFactory(opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=1))
    bid = SubmittedApplicationFactory(
        opportunity=tender,
        answers={**TENDER_ANSWERS, "approach": SECRET},
        amount_requested_pence=25_000_000,
    )
    attachment = AttachmentFactory(application=bid, question_key="method_statement")
    council = tender.council
    commissioner = staff_with_role("commissioner", council=council)
    directorate = DirectorateFactory(council=council)
    commissioner.role_assignments.update(directorate=directorate)
    procurement = staff_with_role("procurement_officer", council=council)
    admin = staff_with_role("system_admin")
    return {
        "tender": tender,
        "bid": bid,
        "attachment": attachment,
        "readers": [commissioner, procurement, admin],
        "procurement": procurement,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _close(world) -> None:
    tender = world["tender"]
    tender.closes_at = timezone.now() - timedelta(seconds=1)
    tender.opens_at = tender.closes_at - timedelta(days=10)
    tender.save()


def _open(world) -> None:
    _close(world)
    sealed.open_sealed_bids(opportunity=world["tender"], actor=world["procurement"])


def _page_status(user, world) -> tuple[int, bool]:
    bid = world["bid"]
    client = _client(user)
    review = client.get(f"/applications/{bid.pk}/review/")
    listed = client.get(f"/applications/received/{world['tender'].pk}/")
    return review.status_code, SECRET in review.content.decode() or bid.reference in (
        listed.content.decode() if listed.status_code == 200 else ""
    )


@pytest.mark.parametrize("stage", ["open", "closed_unopened"])
def test_pages_do_not_show_a_sealed_bid_before_opening(tender_world, stage) -> None:
    if stage == "closed_unopened":
        _close(tender_world)
    for user in tender_world["readers"]:
        status, shown = _page_status(user, tender_world)
        assert status == 403, user
        assert not shown, user


def test_pages_show_the_bid_after_the_deadline_and_opening(tender_world) -> None:
    _open(tender_world)
    for user in tender_world["readers"]:
        status, shown = _page_status(user, tender_world)
        assert status == 200, user
        assert shown, user


def test_export_leaves_out_sealed_bids(tender_world) -> None:
    url = f"/applications/received/{tender_world['tender'].pk}/export/?format=csv"
    reference = tender_world["bid"].reference
    for user in tender_world["readers"]:
        assert reference not in _client(user).get(url).content.decode("utf-8-sig")
    _open(tender_world)
    assert reference in _client(tender_world["procurement"]).get(url).content.decode("utf-8-sig")


def test_api_does_not_return_sealed_bids(tender_world) -> None:
    bid = tender_world["bid"]
    for user in tender_world["readers"]:
        _, secret = account_services.create_api_token(user=user, name="t")
        headers = {"Authorization": f"Bearer {secret}"}
        client = Client()
        listing = client.get("/api/v1/applications", headers=headers)
        assert listing.status_code == 200
        assert bid.pk not in [a["id"] for a in listing.json()]
        one = client.get(f"/api/v1/applications/{bid.pk}", headers=headers)
        assert one.status_code == 404
        assert one.json()["code"] == "not_found"
    _open(tender_world)
    _, secret = account_services.create_api_token(user=tender_world["procurement"], name="t2")
    one = Client().get(
        f"/api/v1/applications/{bid.pk}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert one.status_code == 200
    assert one.json()["answers"]["approach"] == SECRET


def test_admin_does_not_show_sealed_bids(tender_world) -> None:
    admin = tender_world["readers"][2]
    client = _client(admin)
    bid = tender_world["bid"]
    listing = client.get("/admin/applications/application/")
    assert listing.status_code == 200
    assert bid.reference not in listing.content.decode()
    change = client.get(f"/admin/applications/application/{bid.pk}/change/")
    assert change.status_code == 302  # the admin sends unknown objects back to the list
    assert client.get("/admin/applications/submission/").content.decode().count(bid.reference) == 0
    _open(tender_world)
    assert bid.reference in client.get("/admin/applications/application/").content.decode()


def test_attachments_of_sealed_bids_are_not_served(tender_world) -> None:
    bid, attachment = tender_world["bid"], tender_world["attachment"]
    url = f"/applications/{bid.pk}/attachments/{attachment.pk}/"
    for user in tender_world["readers"]:
        assert _client(user).get(url).status_code == 403
    _open(tender_world)
    assert _client(tender_world["procurement"]).get(url).status_code == 200


def test_the_bidder_can_always_read_its_own_bid(tender_world) -> None:
    from thrive.accounts.tests.factories import MembershipFactory

    member = MembershipFactory(organisation=tender_world["bid"].organisation).user
    client = _client(member)
    response = client.get(f"/applications/{tender_world['bid'].pk}/receipt/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_the_opening_register_shows_who_opened_what_and_when(tender_world) -> None:
    _open(tender_world)
    response = _client(tender_world["readers"][0]).get("/applications/openings/")
    text = response.content.decode()
    assert tender_world["tender"].reference in text
    assert escape(tender_world["procurement"].get_full_name()) in text

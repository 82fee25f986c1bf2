"""The audit log names no bidder of a sealed bid before the opening, on the audit page, in
its export and on the admin site; from the opening it shows everything; the stored chain is
never touched (issue 14, finding 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.services import drafts, sealed
from thrive.audit.models import AuditEvent
from thrive.audit.services import verify_chain
from thrive.audit.tests import journeys
from thrive.opportunities.models import OpportunityKind
from thrive.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "Priya Bidwell",
    "pbidwell",
    journeys.BIDDER_ORGANISATION,
    journeys.WITHDRAWAL_REASON,
    "method.pdf",
]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = journeys.sealed_tender()
    application = journeys.start_and_save(world)
    bidder = Client()
    bidder.force_login(world["bidder"])
    attachment = application.attachments.get()
    assert (
        bidder.get(f"/applications/{application.pk}/attachments/{attachment.pk}/").status_code
        == 200
    )
    journeys.submit(world, application)
    journeys.withdraw(world, application)
    council = world["council"]
    world.update(
        application=application,
        council_admin=staff_with_role("council_admin", council=council),
        strategy=staff_with_role("strategy_group", council=council),
        system_admin=staff_with_role("system_admin"),
        procurement=staff_with_role("procurement_officer", council=council),
    )
    return world


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bid_events(world) -> list[AuditEvent]:
    about = AuditEvent.objects.filter(
        object_type="applications.application", object_id=str(world["application"].pk)
    )
    downloads = AuditEvent.objects.filter(action="core.file.downloaded", actor=world["bidder"])
    return list(about) + list(downloads)


def _open(world) -> None:
    tender = world["tender"]
    type(tender).objects.filter(pk=tender.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    tender.refresh_from_db()
    sealed.open_sealed_bids(opportunity=tender, actor=world["procurement"])


def _pages(world) -> dict[str, str]:
    events = _bid_events(world)
    assert {e.action for e in events} >= {
        "applications.application.started",
        "applications.attachment.uploaded",
        "applications.application.submitted",
        "applications.application.withdrawn",
        "core.file.downloaded",
    }
    admin = _as(world["system_admin"])
    pages = {
        "council page": _as(world["council_admin"]).get("/audit/").content.decode(),
        "strategy page": _as(world["strategy"]).get("/audit/").content.decode(),
        "system page": admin.get("/audit/").content.decode(),
        "export": _as(world["council_admin"])
        .get("/audit/export/?format=csv")
        .content.decode("utf-8-sig"),
        "admin list": admin.get("/admin/audit/auditevent/").content.decode(),
    }
    for event in events:
        detail = admin.get(f"/admin/audit/auditevent/{event.pk}/change/")
        assert detail.status_code in (200, 302)  # the admin sends hidden entries to the list
        pages[f"admin #{event.sequence}"] = detail.content.decode()
    return pages


def test_no_reader_sees_who_bid_before_the_opening(world) -> None:
    for where, content in _pages(world).items():
        for name in NAMES:
            assert name not in content, (where, name)
        assert f"user:{world['bidder'].pk}" not in content, where
    pages = _pages(world)
    for where in ("council page", "strategy page", "system page", "export", "admin list"):
        assert "applications.application." not in pages[where], where
        assert "applications.attachment." not in pages[where], where
    # The bidder's own download is listed for system administrators, without the bidder.
    download = next(e for e in _bid_events(world) if e.action == "core.file.downloaded")
    assert "Withheld until the bids are opened" in pages["system page"]
    assert "A sealed bid" in pages[f"admin #{download.sequence}"]
    admin = _as(world["system_admin"])
    for event in _bid_events(world):
        detail = admin.get(f"/admin/audit/auditevent/{event.pk}/change/")
        assert detail.status_code == (200 if event == download else 302)


def test_after_the_opening_every_entry_shows_in_full(world) -> None:
    _open(world)
    pages = _pages(world)
    admin = _as(world["system_admin"])
    for event in _bid_events(world):
        assert admin.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    for where in ("council page", "system page", "export"):
        assert "Priya Bidwell" in pages[where], where
        assert journeys.WITHDRAWAL_REASON in pages[where], where
    download = next(e for e in _bid_events(world) if e.action == "core.file.downloaded")
    assert "method.pdf" in pages[f"admin #{download.sequence}"]
    assert f"user:{world['bidder'].pk}" in pages["admin list"]
    withdrawn = next(e for e in _bid_events(world) if e.action.endswith("withdrawn"))
    assert journeys.WITHDRAWAL_REASON in pages[f"admin #{withdrawn.sequence}"]


def test_the_stored_entries_and_their_chain_are_unchanged(world) -> None:
    _pages(world)
    withdrawn = AuditEvent.objects.get(action="applications.application.withdrawn")
    assert withdrawn.reason == journeys.WITHDRAWAL_REASON
    assert withdrawn.actor == world["bidder"]
    assert verify_chain()[1] is None


def test_grant_applications_are_never_withheld(world, settings) -> None:
    round_ = OpportunityFactory(kind=OpportunityKind.GRANT_ROUND, council=world["council"])
    member = MembershipFactory(is_admin=True, user__first_name="Gita", user__last_name="Grant")
    drafts.start_application(
        opportunity=round_, organisation=member.organisation, actor=member.user
    )
    assert "Gita Grant" in _as(world["council_admin"]).get("/audit/").content.decode()


def test_the_audit_page_reads_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
) -> None:
    for n in range(3):
        extra = journeys.sealed_tender(username=f"bidder{n}")
        journeys.submit(extra, journeys.start_and_save(extra), key=f"extra-{n}")
    client = _as(world["council_admin"])
    with django_assert_max_num_queries(12):
        response = client.get("/audit/")
    assert response.status_code == 200

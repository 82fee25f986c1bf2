"""Sealed is a fact fixed at publication: editing the kind of a published tender (on its page,
in the database, in the admin) never makes its bids readable, and before the opening the
number of sealed bids is shown only to those who may record the opening, after the deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.applications.models import Application
from thrive.applications.selectors import is_unsealed
from thrive.applications.services import sealed
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.applications.tests.test_sealed import SECRET, _client, _close, _open, tender_world
from thrive.opportunities import amendments, services
from thrive.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus
from thrive.opportunities.tests.factories import CriterionFactory, TenderFactory

pytestmark = pytest.mark.django_db

__all__ = ["tender_world"]


def _as_grant_round(world) -> dict[str, str]:
    """The edit page's fields for the tender, with its kind changed to a grant round."""
    tender = world["tender"]
    local = timezone.localtime(tender.closes_at)
    opens = timezone.localtime(tender.opens_at)
    return {
        "title": tender.title,
        "summary": tender.summary,
        "process": tender.process,
        "kind": OpportunityKind.GRANT_ROUND,
        "directorate": str(tender.directorate_id),
        "form_template": str(tender.form_template_id),
        "value_pence": "300000",
        "opens_at_date": f"{opens:%d/%m/%Y}",
        "opens_at_time": f"{opens:%H:%M}",
        "closes_at_date": f"{local:%d/%m/%Y}",
        "closes_at_time": f"{local:%H:%M}",
        "reason": "Changing the kind",
    }


def _readable_anywhere(world) -> list[str]:
    """Where the procurement officer (or the system admin) can read the sealed bid now."""
    bid = world["bid"]
    procurement = world["procurement"]
    client = _client(procurement)
    found = []
    _, secret = account_services.create_api_token(user=procurement, name="t")
    api = Client().get("/api/v1/applications", headers={"Authorization": f"Bearer {secret}"})
    if bid.pk in [a["id"] for a in api.json()]:
        found.append("api")
    received = client.get(f"/applications/received/{world['tender'].pk}/")
    if bid.reference in received.content.decode():
        found.append("received page")
    export = client.get(f"/applications/received/{world['tender'].pk}/export/?format=csv")
    if bid.reference in export.content.decode("utf-8-sig"):
        found.append("export")
    if SECRET in client.get(f"/applications/{bid.pk}/review/").content.decode():
        found.append("review page")
    admin = _client(world["readers"][2]).get("/admin/applications/application/")
    if bid.reference in admin.content.decode():
        found.append("admin")
    return found


def test_changing_the_kind_on_the_edit_page_leaves_the_bids_sealed(tender_world) -> None:
    tender = tender_world["tender"]
    client = _client(tender_world["procurement"])
    client.post(f"/opportunities/manage/{tender.pk}/edit/", _as_grant_round(tender_world))
    assert _readable_anywhere(tender_world) == []
    tender.refresh_from_db()
    assert (tender.kind, tender.sealed) == (OpportunityKind.TENDER, True)
    _close(tender_world)
    assert _readable_anywhere(tender_world) == []
    _open(tender_world)
    assert _readable_anywhere(tender_world) == [
        "api",
        "received page",
        "export",
        "review page",
        "admin",
    ]


def test_bids_stay_sealed_whatever_happens_to_the_kind_in_the_database(tender_world) -> None:
    tender, bid = tender_world["tender"], tender_world["bid"]
    _close(tender_world)
    Opportunity.objects.filter(pk=tender.pk).update(kind=OpportunityKind.GRANT_ROUND)
    bid = Application.objects.select_related("opportunity").get(pk=bid.pk)
    assert not is_unsealed(bid)
    assert not Application.objects.filter(pk=bid.pk).unsealed().exists()
    assert _readable_anywhere(tender_world) == []


def test_publication_fixes_sealed_from_the_kind_published() -> None:
    commissioner = staff_with_role(Role.PROCUREMENT_OFFICER)
    now = timezone.now()
    drafts = {
        kind: TenderFactory(
            kind=kind,
            status=OpportunityStatus.DRAFT,
            council=commissioner.council,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=20),
        )
        for kind in (OpportunityKind.TENDER, OpportunityKind.RFQ, OpportunityKind.GRANT_ROUND)
    }
    for draft in drafts.values():
        Opportunity.objects.filter(pk=draft.pk).update(sealed=False)
        draft.refresh_from_db()
        CriterionFactory(opportunity=draft, weight=100)
        services.publish_opportunity(opportunity=draft, actor=commissioner)
        draft.refresh_from_db()
    assert {kind: o.sealed for kind, o in drafts.items()} == {
        OpportunityKind.TENDER: True,
        OpportunityKind.RFQ: True,
        OpportunityKind.GRANT_ROUND: False,
    }


def test_no_service_changes_the_kind_of_a_published_opportunity() -> None:
    tender = TenderFactory()
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=tender.council)
    with pytest.raises(ValidationError, match="changes only by an amendment"):
        services.update_opportunity(
            opportunity=tender, actor=officer, kind=OpportunityKind.GRANT_ROUND
        )
    with pytest.raises(ValidationError) as refused:
        amendments.amend_opportunity(
            opportunity=tender, actor=officer, kind=OpportunityKind.GRANT_ROUND, reason="Why not"
        )
    assert refused.value.message_dict == {
        "kind": ["The kind of opportunity cannot change once it is published"]
    }
    tender.refresh_from_db()
    assert (tender.kind, tender.sealed) == (OpportunityKind.TENDER, True)


def test_the_admin_shows_sealed_and_a_published_kind_without_a_field_to_change() -> None:
    tender = TenderFactory()
    admin = staff_with_role(Role.SYSTEM_ADMIN)
    page = _client(admin).get(f"/admin/opportunities/opportunity/{tender.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="kind"' not in html
    assert 'name="sealed"' not in html
    assert 'name="closes_at_0"' not in html
    draft = TenderFactory(status=OpportunityStatus.DRAFT)
    html = _client(admin).get(f"/admin/opportunities/opportunity/{draft.pk}/change/")
    assert 'name="kind"' in html.content.decode()


# --- F8: how many sealed bids, and who may know --------------------------------------------

COUNT_TEXT = "2 sealed bids received"


@pytest.fixture
def two_bids(tender_world):
    SubmittedApplicationFactory(opportunity=tender_world["tender"])
    council = tender_world["tender"].council
    others = [
        staff_with_role(role, council=council)
        for role in (
            Role.STRATEGY_GROUP,
            Role.COUNCIL_ADMIN,
            Role.FINANCE_OFFICER,
            Role.ASSESSOR,
        )
    ]
    return {**tender_world, "others": [*tender_world["readers"], *others]}


def _sees_count(user, world) -> bool:
    page = _client(user).get(f"/opportunities/manage/{world['tender'].pk}/")
    assert page.status_code == 200, user
    return COUNT_TEXT in page.content.decode()


def test_no_member_of_staff_sees_the_sealed_bid_count_before_the_deadline(two_bids) -> None:
    assert [u for u in two_bids["others"] if _sees_count(u, two_bids)] == []


def test_only_procurement_sees_how_many_bids_wait_to_be_opened(two_bids) -> None:
    _close(two_bids)
    seeing = [u for u in two_bids["others"] if _sees_count(u, two_bids)]
    assert seeing == [two_bids["procurement"]]


def test_after_the_opening_the_count_is_ordinary_information(two_bids) -> None:
    _close(two_bids)
    sealed.open_sealed_bids(opportunity=two_bids["tender"], actor=two_bids["procurement"])
    for user in two_bids["others"]:
        page = _client(user).get(f"/opportunities/manage/{two_bids['tender'].pk}/")
        assert "(2 bids)" in page.content.decode(), user

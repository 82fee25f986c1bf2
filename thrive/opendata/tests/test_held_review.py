"""Staff who look after the register's duplicates decide who a held grant recipient is."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import PASSWORD, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.audit.services import verify_chain
from thrive.core import worklist
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import ExternalGrant, RecipientStatus
from thrive.opendata.worklist import HELD
from thrive.organisations.models import Identifier, Organisation, RecordSource
from thrive.testing.browser import assert_accessible, sign_in

LIST = reverse("opendata:held_recipients")


def _grant(number: int, org_id: str, name: str) -> dict:
    return {
        "id": f"360G-held-{number:04d}",
        "title": f"Grant {number}",
        "currency": "GBP",
        "amountAwarded": 1500,
        "awardDate": "2025-06-01",
        "recipientOrganization": [{"id": org_id, "name": name, "postalCode": "ZZ99 9ZZ"}],
        "fundingOrganization": [{"id": "GB-CHC-1999999", "name": "Another Trust"}],
    }


def _import(grants: list[dict], filename: str = "other-funder.json") -> None:
    data = json.dumps({"grants": grants}).encode()
    import_360giving(stream=io.BytesIO(data), filename=filename)


def _make_held() -> Organisation:
    """A register record, and two grants to its charity number under another name."""
    known = Organisation.objects.create(name="Riverside Lunch Club")
    Identifier.objects.create(
        organisation=known, scheme="GB-CHC", value="1900001", org_id="GB-CHC-1900001"
    )
    _import(
        [
            _grant(1, "GB-CHC-1900001", "Hilltop Boxing Club"),
            _grant(2, "GB-CHC-1900001", "Hilltop Boxing Club"),
        ]
    )
    return known


@pytest.fixture
def held(db) -> Organisation:
    return _make_held()


def _first_held() -> ExternalGrant:
    return ExternalGrant.objects.filter(recipient_status=RecipientStatus.HELD).earliest("pk")


def test_only_register_stewards_see_held_recipients(client, held) -> None:
    client.force_login(staff_with_role(Role.COMMISSIONER))
    assert client.get(LIST).status_code == 403
    client.force_login(staff_with_role(Role.STRATEGY_GROUP))
    body = client.get(LIST).content.decode()
    assert "Hilltop Boxing Club" in body and "Riverside Lunch Club" in body
    assert "GB-CHC-1900001" in body and "other-funder.json" in body


def test_list_queries_are_bounded(client, held, django_assert_max_num_queries) -> None:
    for n in range(3, 8):
        _import([_grant(n, f"GB-CHC-{1_900_100 + n}", f"Group {n}")], f"file-{n}.json")
        _import([_grant(100 + n, f"GB-CHC-{1_900_100 + n}", f"Other {n}")], f"again-{n}.json")
    client.force_login(staff_with_role(Role.STRATEGY_GROUP))
    with django_assert_max_num_queries(14):
        body = client.get(LIST).content.decode()
    assert "6 recipients to review" in body


def test_same_organisation_attaches_every_held_grant_and_later_imports_follow(client, held) -> None:
    steward = staff_with_role(Role.STRATEGY_GROUP)
    client.force_login(steward)
    url = reverse("opendata:held_recipient", args=[_first_held().pk])
    response = client.post(url, {"decision": "same"})
    assert response.status_code == 302
    grants = ExternalGrant.objects.all()
    assert {g.recipient for g in grants} == {held}
    assert {g.recipient_status for g in grants} == {RecipientStatus.MATCHED}
    event = AuditEvent.objects.get(action="opendata.recipient.confirmed")
    assert event.actor == steward and event.after["published_name"] == "Hilltop Boxing Club"
    _import([_grant(3, "GB-CHC-1900001", "Hilltop Boxing Club")], "later.json")
    assert ExternalGrant.objects.get(grant_id="360G-held-0003").recipient == held
    assert verify_chain()[1] is None


def test_a_different_organisation_is_added_and_attached(client, held) -> None:
    client.force_login(staff_with_role(Role.STRATEGY_GROUP))
    client.post(
        reverse("opendata:held_recipient", args=[_first_held().pk]), {"decision": "different"}
    )
    added = Organisation.objects.get(name="Hilltop Boxing Club")
    assert added.source == RecordSource.OPEN_DATA and added.postcode == "ZZ99 9ZZ"
    assert set(ExternalGrant.objects.values_list("recipient", flat=True)) == {added.pk}
    assert AuditEvent.objects.filter(action="opendata.recipient.separated").count() == 1
    _import([_grant(3, "GB-CHC-1900001", "Hilltop Boxing Club")], "later.json")
    assert ExternalGrant.objects.get(grant_id="360G-held-0003").recipient == added


def test_no_choice_shows_the_error_and_a_decided_recipient_is_gone(client, held) -> None:
    client.force_login(staff_with_role(Role.STRATEGY_GROUP))
    url = reverse("opendata:held_recipient", args=[_first_held().pk])
    body = client.post(url, {}).content.decode()
    assert "govuk-error-summary" in body and "Select whether this is the same organisation" in body
    client.post(url, {"decision": "same"})
    assert client.post(url, {"decision": "different"}).status_code == 404


def test_a_steward_reviews_a_held_recipient_in_the_browser(live_server, page) -> None:
    _make_held()
    steward = staff_with_role(Role.COUNCIL_ADMIN)
    sign_in(page, live_server, steward.username, PASSWORD)
    page.goto(f"{live_server.url}/organisations/duplicates/")
    page.get_by_role("link", name="Grant recipients held for review").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Hilltop Boxing Club")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Save decision").click()
    assert "Select whether" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Same organisation").check()
    page.get_by_role("button", name="Save decision").click()
    assert "Riverside Lunch Club" in page.locator(".govuk-notification-banner").inner_text()
    assert "No grant recipients are waiting for review" in page.locator("main").inner_text()
    assert_accessible(page)


def test_held_recipients_wait_on_the_stewards_to_do_list(held) -> None:
    steward = staff_with_role(Role.STRATEGY_GROUP)
    [item] = [i for i in worklist.items_for(steward) if i.kind == HELD]
    assert item.title == "2 imported grants with a recipient to confirm" and item.url == LIST
    commissioner = staff_with_role(Role.COMMISSIONER)
    assert not [i for i in worklist.items_for(commissioner) if i.kind == HELD]

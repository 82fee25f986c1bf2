"""Council administrators set how their council publishes; bad values change nothing."""

from __future__ import annotations

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.opendata import publishing

pytestmark = pytest.mark.django_db

URL = "/open-data/settings/"


@pytest.fixture
def admin():
    return staff_with_role(Role.COUNCIL_ADMIN)


def test_a_council_admin_sets_the_prefixes_and_the_export_uses_them(client, admin) -> None:
    client.force_login(admin)
    assert URL in client.get("/open-data/").text
    page = client.get(URL)
    assert "360Giving identifier prefix" in page.text
    response = client.post(
        URL,
        {"grant_prefix": "westshire", "ocid_prefix": "ocds-a1b2c3", "funder_org_id": "gb-lae-wsx"},
    )
    assert response.status_code == 302
    publisher = publishing.publisher_for(admin.council)
    assert (publisher.grant_prefix, publisher.ocid_prefix, publisher.funder_org_id) == (
        "westshire",
        "ocds-a1b2c3",
        "GB-LAE-WSX",
    )
    event = AuditEvent.objects.get(action="opendata.settings.saved")
    assert event.after["ocid_prefix"] == "ocds-a1b2c3"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("grant_prefix", "360G-westshire", "Enter only the part after 360G-"),
        ("grant_prefix", "west shire", "letters, digits and hyphens"),
        ("ocid_prefix", "ocds-12345", "ocds- then six lower-case letters or digits"),
        ("ocid_prefix", "", "Enter the OCDS ocid prefix"),
        ("funder_org_id", "XX-NOPE-1", "prefix from the org-id list"),
    ],
)
def test_bad_values_are_explained_and_change_nothing(client, admin, field, value, message):
    client.force_login(admin)
    before = publishing.publisher_for(admin.council)
    data = {
        "grant_prefix": "westshire",
        "ocid_prefix": "ocds-a1b2c3",
        "funder_org_id": "GB-LAE-WSX",
        field: value,
    }
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    after = publishing.publisher_for(admin.council)
    assert (after.grant_prefix, after.ocid_prefix, after.funder_org_id) == (
        before.grant_prefix,
        before.ocid_prefix,
        before.funder_org_id,
    )
    assert not AuditEvent.objects.filter(action="opendata.settings.saved").exists()


def test_other_staff_and_providers_cannot_change_them(client) -> None:
    client.force_login(staff_with_role(Role.COMMISSIONER))
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/open-data/").text


def test_first_settings_make_up_no_org_id_and_save_back_unchanged(client, admin) -> None:
    council = admin.council
    council.org_id = ""
    council.save()
    publisher = publishing.publisher_for(council)
    assert publisher.funder_org_id == ""
    assert publishing.funder_id(publisher) == f"360G-{publisher.grant_prefix}-COUNCIL"
    client.force_login(admin)
    response = client.post(
        URL,
        {
            "grant_prefix": publisher.grant_prefix,
            "ocid_prefix": publisher.ocid_prefix,
            "funder_org_id": "",
        },
    )
    assert response.status_code == 302
    publisher.refresh_from_db()
    assert publisher.funder_org_id == ""


@pytest.mark.parametrize(
    ("name", "org_id"),
    [
        ("Kent County Council", "GB-LAE-KEN"),
        ("Cardiff Council", "GB-PLA-CRF"),
        ("Aberdeenshire Council", "GB-LAS-ABD"),
        ("North Yorkshire Council", ""),
    ],
)
def test_a_real_local_authority_gets_its_registered_code(name, org_id) -> None:
    from thrive.accounts.tests.factories import CouncilFactory

    council = CouncilFactory(name=name, slug="the-council", org_id="")
    assert publishing.publisher_for(council).funder_org_id == org_id


def test_exports_name_a_council_without_an_org_id_under_its_own_prefix(admin) -> None:
    from thrive.opendata.ocds import Publisher

    council = admin.council
    council.org_id = ""
    council.save()
    publisher = publishing.publisher_for(council)
    fallback = f"360G-{publisher.grant_prefix}-COUNCIL"
    assert Publisher(council, publisher).buyer["id"] == fallback
    publisher.funder_org_id = "GB-LAE-KEN"
    assert Publisher(council, publisher).buyer["id"] == "GB-LAE-KEN"

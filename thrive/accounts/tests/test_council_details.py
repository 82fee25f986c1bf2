"""A council administrator keeps the council's contact details and logo, shown on its pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.services.council_details import LOGO_MAX_BYTES
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
URL = "/accounts/council/"


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(staff_with_role(Role.COUNCIL_ADMIN))
    return client


def _post(client: Client, **data) -> object:
    fields = {"contact_email": "", "phone": "", "website": "", "postal_address": ""}
    return client.post(URL, {**fields, **data})


def test_council_admin_saves_contact_details_shown_on_the_council_pages(admin_client) -> None:
    response = _post(
        admin_client,
        contact_email="thirdsector@westshire.example",
        phone="01632 960 000",
        website="https://www.westshire.example",
        postal_address="County Hall\nWestshire WS1 1AA",
    )
    assert response.status_code == 302
    page = admin_client.get("/").content.decode()
    assert 'href="mailto:thirdsector@westshire.example"' in page
    assert "01632 960 000" in page and "County Hall<br>Westshire WS1 1AA" in page
    event = AuditEvent.objects.get(action="accounts.council.details_saved")
    assert event.after["phone"] == "01632 960 000"
    assert reverse("accounts:council") == URL


def test_bad_email_and_website_are_refused_with_govuk_messages(admin_client) -> None:
    response = _post(admin_client, contact_email="not an address", website="javascript:alert(1)")
    page = response.content.decode()
    assert response.status_code == 200 and "Error: " in page
    assert "Enter an email address in the correct format" in page
    assert "Enter a website address, like https://www.example.gov.uk" in page
    assert 'href="#id_contact_email"' in page and 'href="#id_website"' in page
    assert not AuditEvent.objects.filter(action="accounts.council.details_saved").exists()


def test_logo_is_judged_by_content_and_size_and_shown_inline(admin_client) -> None:
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    page = _post(admin_client, logo=fake).content.decode()
    assert "The logo must be a PNG or JPEG image" in page
    big = SimpleUploadedFile("logo.png", PNG + b"\x00" * LOGO_MAX_BYTES)
    assert "The logo must be smaller than 200KB" in _post(admin_client, logo=big).content.decode()
    good = SimpleUploadedFile("logo.txt", PNG, content_type="text/plain")
    assert _post(admin_client, logo=good).status_code == 302
    page = admin_client.get("/").content.decode()
    assert '<img src="data:image/png;base64,' in page
    assert _post(admin_client, remove_logo="on").status_code == 302
    assert "data:image/png" not in admin_client.get("/").content.decode()


def test_only_the_council_admin_is_offered_and_given_the_page() -> None:
    client = Client()
    client.force_login(staff_with_role(Role.COUNCIL_ADMIN))
    assert URL in client.get(reverse("accounts:staff")).content.decode()
    client.force_login(staff_with_role(Role.COMMISSIONER))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"phone": "1"}).status_code == 403

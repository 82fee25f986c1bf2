"""Every file a signed-in person downloads is in the audit log; pages and anonymous open data
downloads are not."""

from __future__ import annotations

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _downloads():
    return AuditEvent.objects.filter(action="core.file.downloaded")


def test_an_export_is_recorded_with_who_what_and_which_filters(client) -> None:
    officer = staff_with_role(Role.STRATEGY_GROUP)
    client.force_login(officer)
    response = client.get("/monitoring/all-returns/export/?format=xlsx&status=overdue")
    assert response.status_code == 200
    event = _downloads().get()
    assert event.actor == officer
    assert event.after["path"] == "/monitoring/all-returns/export/"
    assert "status=overdue" in event.after["query"]
    assert event.after["file"].startswith("monitoring-returns-")
    assert event.after["file"].endswith(".xlsx")


def test_pages_and_anonymous_open_data_are_not_recorded(client) -> None:
    officer = staff_with_role(Role.STRATEGY_GROUP)
    council = officer.council
    assert client.get(f"/open-data/{council.slug}/360giving.csv").status_code == 200
    client.force_login(officer)
    assert client.get("/monitoring/").status_code == 200
    assert not _downloads().exists()

"""The admin site's council form saves through the accounts service, which audits it."""

from __future__ import annotations

import pytest
from django.test import Client

from thrive.accounts.models import Council
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.core.roles import Role

pytestmark = pytest.mark.django_db

WHEN = {"created_at_0": "2026-12-01", "created_at_1": "09:00:00"}


def test_adding_and_changing_a_council_in_the_admin_is_recorded_once_each() -> None:
    admin = staff_with_role(Role.SYSTEM_ADMIN)
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/council/add/",
        {"name": "Eastvale District Council", "slug": "eastvale", "org_id": "", **WHEN},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    council = Council.objects.get(slug="eastvale")
    client.post(
        f"/admin/accounts/council/{council.pk}/change/",
        {
            "name": "Eastvale Borough Council",
            "slug": "eastvale",
            "org_id": "",
            "website": "www.eastvale.gov.uk",
            **WHEN,
        },
    )
    council.refresh_from_db()
    assert council.website == "https://www.eastvale.gov.uk"
    events = list(AuditEvent.objects.filter(action__startswith="accounts.council.").order_by("pk"))
    assert [(event.action, event.after["name"]) for event in events] == [
        ("accounts.council.created", "Eastvale District Council"),
        ("accounts.council.changed", "Eastvale Borough Council"),
    ]
    assert all(event.actor_id == admin.pk for event in events)

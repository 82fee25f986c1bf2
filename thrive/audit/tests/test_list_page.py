"""The audit log page, full of events, passes axe: its scrolling table can be reached and
scrolled from the keyboard."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.services import log_action
from thrive.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_log_with_events_has_no_accessibility_violations(live_server, page) -> None:
    reader = staff_with_role(Role.STRATEGY_GROUP)
    for n in range(30):
        log_action(
            action="organisations.organisation.updated_with_a_long_action_name",
            actor=reader,
            obj=reader,
            reason=f"Corrected the registered address and the charity number, change {n}",
        )
    client = Client()
    client.force_login(reader)
    page.set_viewport_size({"width": 480, "height": 800})
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/audit/")
    wrapper = page.locator(".app-table-wrapper")
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth")
    problems = [f"{v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in axe_violations(page)]
    assert problems == [], "\n".join(problems)
    assert page.get_by_role("region", name="30 events").count() == 1

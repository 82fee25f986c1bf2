"""Every page of the service, as each kind of user who can see it, has no axe violations.

The journeys in each app check the pages they pass through; this walks every route the
route table declares (the same objects as ``test_routes``), so an edit or list page no
journey visits is checked too. A page is visited once by the first provider-side user
and once by the first member of staff who may see it, since each sees different parts.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from thrive.testing.browser import axe_violations
from thrive.testing.routes import ACTORS, ANONYMOUS, STAFF_ROLES, World, all_expectations


def _viewers(expect) -> list[str]:
    """The first outside (anonymous or provider) actor and the first staff actor given a page."""
    allowed = [actor for actor in ACTORS if expect.status_for(actor) == 200]
    outside = [a for a in allowed if a not in STAFF_ROLES][:1]
    staff = [a for a in allowed if a in STAFF_ROLES][:1]
    return outside + staff


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _section(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else "site"


SECTIONS = sorted({_section(name) for name in all_expectations()})


@pytest.mark.parametrize("section", SECTIONS)
def test_every_page_has_no_accessibility_violations(
    section: str, live_server, page, world: World
) -> None:
    sessions = {actor: _session(user) for actor, user in world.users.items() if user is not None}
    checked, problems = [], []
    routes = {n: e for n, e in all_expectations().items() if _section(n) == section}
    for name, expect in sorted(routes.items()):
        url = reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)
        for actor in _viewers(expect):
            page.context.clear_cookies()
            if actor != ANONYMOUS:
                page.context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": sessions[actor],
                            "url": live_server.url,
                        }
                    ]
                )
            probe = Client()
            if actor != ANONYMOUS:
                probe.force_login(world.users[actor])
            if not probe.get(url)["Content-Type"].startswith("text/html"):
                continue  # downloads (CSV, spreadsheets, PDF) are not pages
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status == 200, (name, actor)
            checked.append((name, actor))
            for violation in axe_violations(page):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{name} as {actor}: {violation['id']} {targets}")
    assert checked, f"no page of {section} was checked"
    assert problems == [], "\n".join(problems)
    print(f"{section}: {len(checked)} page views checked")

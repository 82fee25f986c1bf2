"""Browser tests: Playwright driving Debian's Chromium, and an axe-core check.

Use the ``page`` fixture with pytest-django's ``live_server``; call ``assert_accessible(page)``
on every page a journey visits. ``sign_in(page, live_server, username, password)`` uses the
real sign-in form; ``sign_in_as(live_server, user, *pages)`` gives the pages a session of
``user`` without it.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.test import Client

from thrive.accounts.models import User
from thrive.testing.two_factor import current_code

CHROMIUM = os.environ.get("THRIVE_CHROMIUM", "/usr/bin/chromium")
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page once it has loaded and return its violations.

    A click that navigates returns before the next page has loaded; axe then waits for the
    load, and is run again if the document was replaced while it ran.
    """
    from playwright.sync_api import Error  # lazy: heavy optional library (browser tests only)

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(axe_source())
            result = page.evaluate(
                "async (tags) => await window.axe.run(document, "
                "{runOnly: {type: 'tag', values: tags}})",
                AXE_TAGS,
            )
        except Error:
            if attempt == 2:
                raise
            continue
        return result["violations"]
    raise AssertionError("unreachable")


def assert_accessible(page) -> None:
    """Fail with a readable list when axe-core finds any violation."""
    violations = axe_violations(page)
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in violations
    ]
    if violations:
        raise AssertionError(f"axe violations on {page.url}:\n{json.dumps(summary, indent=2)}")


def sign_in(page, live_server, username: str, password: str) -> None:
    """Sign in through the form, entering the authenticator app's code when it is asked for."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address or username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    if "/accounts/two-factor/code/" in page.url:
        user = User.objects.get(Q(username__iexact=username) | Q(email__iexact=username))
        page.get_by_label("Code from your authenticator app").fill(current_code(user))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("load")


def sign_in_as(live_server, user: User, *pages) -> None:
    """Give each page's browser a signed-in session of ``user`` (no sign-in form)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    for page in pages:
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )

"""The API documentation page is a page like the others: a language, a main landmark, a
heading, and no axe violations once Swagger UI has drawn the operations."""

from __future__ import annotations

import pytest

from thrive.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_has_no_accessibility_violations(live_server, page) -> None:
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.get_attribute("html", "lang") == "en-GB"
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("heading", level=1, name="Thrive API documentation").count() == 1
    problems = [f"{v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in axe_violations(page)]
    assert problems == [], "\n".join(problems)

"""On the demo data, as each demo sign-in, every page reachable by following links from the
home page has no axe violations, and every link a page shows answers its reader.

A bounded crawl: pages of this site only, each URL once, at most a few URLs per route name
(other records of the same page add nothing) and a cap on the pages each reader opens.
"""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive.accounts.models import User
from thrive.core.seeding import DEMO_USERNAMES, SCALES, SeedContext, run_seed
from thrive.testing.browser import axe_violations
from thrive.testing.two_factor import with_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each role once: the commissioners of the other directorates see the same pages.
READERS = [name for name in DEMO_USERNAMES if "-" not in name]
PAGES_PER_READER = 8
URLS_PER_ROUTE = 3
SKIPPED = ("/accounts/logout", "/admin/", "/static/", "/media/")
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"', re.IGNORECASE)


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        url = urlsplit(urljoin(base, unescape(href)))
        if url.scheme in ("", "http", "https") and url.netloc in ("", "testserver"):
            path = url.path + (f"?{url.query}" if url.query else "")
            if not path.startswith(SKIPPED):
                found.append(path)
    return found


class Crawl:
    """One reader's walk: the client answers for links, the browser runs axe on pages."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.seen: set[str] = set()
        self.per_route: dict[str | None, int] = {}
        self.problems: list[str] = []
        self.pages: list[tuple[str, str]] = []

    def admit(self, path: str) -> bool:
        route = _route(urlsplit(path).path)
        if path in self.seen or self.per_route.get(route, 0) >= URLS_PER_ROUTE:
            return False
        self.seen.add(path)
        self.per_route[route] = self.per_route.get(route, 0) + 1
        return True

    def walk(self, reader: str) -> None:
        queue = deque(["/"])
        self.admit("/")
        while queue and len(self.pages) < PAGES_PER_READER:
            path = queue.popleft()
            response = self.client.get(path)
            if response.status_code not in (200, 301, 302):
                self.problems.append(f"{reader}: {path} answers {response.status_code}")
                continue
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            self.pages.append((path, html))
            for link in _links(html, path):
                if self.admit(link):
                    queue.append(link)
        for path in queue:  # links shown but not opened still answer their reader
            status = self.client.get(path).status_code
            if status not in (200, 301, 302):
                self.problems.append(f"{reader}: {path} answers {status}")


def _signed_in(username: str) -> Client:
    user = User.objects.get(username=username)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        with_two_factor(user)
    client = Client()
    client.force_login(user)
    return client


def test_every_page_of_the_demo_has_no_violations_and_no_dead_links(live_server, page) -> None:
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=2026, show_progress=False))
    problems: list[str] = []
    for reader in READERS:
        client = _signed_in(reader)
        crawl = Crawl(client)
        crawl.walk(reader)
        problems += crawl.problems
        page.context.clear_cookies()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        for path, _html in crawl.pages:
            page.goto(f"{live_server.url}{path}")
            for violation in axe_violations(page):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{reader}: {path} {violation['id']} {targets}")
        print(f"{reader}: {len(crawl.pages)} pages, {len(crawl.seen)} links", *problems, sep="\n")
    assert problems == [], "\n".join(problems)

"""Test-wide fixtures."""

from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("THRIVE_ENV", "test")
# A worker run in a test's own process (``call_command("db_worker")``) would lower the
# priority of the rest of that process's tests, and the workers tests start would crawl
# beside the other test processes: the worker's own test sets the setting it checks.
os.environ.setdefault("THRIVE_WORKER_NICE", "0")


@pytest.fixture(autouse=True, scope="session")
def _force_login_verifies_two_factor():
    """``force_login`` of a user given an authenticator app by ``with_two_factor`` (as
    ``staff_with_role`` does for administrators) starts a verified session."""
    from django.contrib.auth.signals import user_logged_in

    from thrive.testing.two_factor import verify_marked_session

    user_logged_in.connect(verify_marked_session, dispatch_uid="thrive-test-two-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="thrive-test-two-factor")


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """Hash test passwords with a quick hasher: Argon2 costs a fifth of a second for every
    sign-in a test makes. ``test_passwords_are_stored_with_argon2`` checks the real list."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run queued tasks at once (the worker path has its own test)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Laying out the annual report PDF ahead of time would make every award a test saves
    # cost a second; the tests of that build turn it on.
    settings.THRIVE_PREBUILD_REPORTS = False


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Start every test with no rate-limit counts: each counts under a prefix of its own."""
    settings.THRIVE_RATE_LIMIT_PREFIX = f"test-{uuid.uuid4().hex}"


# --- browser tests ----------------------------------------------------------
# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test body itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def _playwright_browser():
    from playwright.sync_api import sync_playwright

    from thrive.testing.browser import CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright_browser):
    context = _playwright_browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)

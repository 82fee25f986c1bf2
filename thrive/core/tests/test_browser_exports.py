"""Browser journey: a large export's page says it is being prepared, then that it is ready,
and the file downloads; a failed one is tried again from its page. Axe checks each page."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.core import export_jobs, export_registry
from thrive.core.models import ExportJob
from thrive.testing.browser import assert_accessible

pytestmark = pytest.mark.browser


def _job(user, status: str) -> ExportJob:
    return ExportJob.objects.create(
        user=user,
        council=user.council,
        key="core.sample",
        params={"rows": ["40"]},
        fmt="csv",
        title="Sample rows",
        status=status,
        row_count=40,
        error="Something went wrong while the file was made." if status == "failed" else "",
    )


def test_preparing_then_ready_then_downloaded_and_a_failed_one_tried_again(
    live_server, page, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    export_registry.register(
        "core.sample", action="exports.list", build="thrive.core.tests.export_samples:sample_table"
    )
    user = staff_with_role(Role.COMMISSIONER)
    waiting, failed = _job(user, "pending"), _job(user, "failed")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/exports/{waiting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing your file")
    assert_accessible(page)

    export_jobs.build_export(job_id=waiting.pk)
    page.get_by_role("link", name="Check again whether your file is ready").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your file is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download sample-rows-").click()
    assert download.value.suggested_filename.endswith(".csv")

    page.goto(f"{live_server.url}/exports/{failed.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not make your file")
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your file is ready")

    page.get_by_role("link", name="Your exports").click()
    expect(page.get_by_role("link", name="Sample rows")).to_have_count(2)
    assert_accessible(page)

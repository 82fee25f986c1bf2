"""Browser journeys: a large export's page says it is being prepared, then that it is ready,
and the file downloads; a failed one is tried again from its page; one whose worker died says
it started again and is then made; one whose workers kept dying, or that waited too long, is
tried again and is preparing once more. Axe checks each page, and the recovery pages read the
same without JavaScript."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.core import export_jobs, export_registry, tasks
from thrive.core.models import ExportJob
from thrive.testing.browser import assert_accessible, sign_in_as
from thrive.testing.workers import database_worker, killed_while_running, run_worker, task_status

pytestmark = pytest.mark.browser

STARTED_AGAIN = (
    "Making your file was interrupted, so it has started again. You do not need to do anything."
)
TOO_LONG = (
    "We have not been able to finish making Sample rows. You can try again with the same filters."
)


@pytest.fixture
def no_script_page(_playwright_browser):
    """A page in a browser with JavaScript turned off."""
    context = _playwright_browser.new_context(
        locale="en-GB", timezone_id="Europe/London", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def owner(settings, tmp_path):
    """A commissioner who may make the sample export (made into ``tmp_path``)."""
    settings.MEDIA_ROOT = tmp_path
    export_registry.register(
        "core.sample", action="exports.list", build="thrive.core.tests.export_samples:sample_table"
    )
    return staff_with_role(Role.COMMISSIONER)


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


def _asked(user) -> ExportJob:
    """The owner asks for a large export: the job is recorded and its task queued."""
    job = export_jobs.start_export(
        actor=user,
        key="core.sample",
        params={"rows": ["40"]},
        fmt="csv",
        title="Sample rows",
        rows=None,
    )
    job.refresh_from_db()
    assert job.task_id and task_status(job.task_id) == "READY"
    return job


def _shows(page, heading: str, status: str, *texts: str) -> str:
    """Check the page's heading, status and texts; answer what its main part reads."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    row = page.locator(".govuk-summary-list__row").filter(has_text="Status")
    expect(row.locator("dd")).to_have_text(status)
    main = page.get_by_role("main")
    for text in texts:
        expect(main).to_contain_text(text)
    return main.inner_text()


def test_preparing_then_ready_then_downloaded_and_a_failed_one_tried_again(
    live_server, page, owner
) -> None:
    waiting, failed = _job(owner, "pending"), _job(owner, "failed")
    sign_in_as(live_server, owner, page)

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


def test_an_export_whose_worker_died_says_it_started_again_and_is_then_made(
    live_server, page, no_script_page, owner, settings, monkeypatch
) -> None:
    database_worker(settings, monkeypatch)
    job = _asked(owner)
    # a worker claims the task, which marks the job running; the worker is then killed
    killed_while_running(job.task_id, "worker-a", minutes_ago=10)
    assert export_jobs._claim(job.pk, job.task_id) is not None
    assert [held.task_id for held in tasks.take_back().requeued] == [job.task_id]
    sign_in_as(live_server, owner, page, no_script_page)
    url = f"{live_server.url}/exports/{job.pk}/"

    page.goto(url)
    seen = _shows(page, "Preparing your file", "Preparing", STARTED_AGAIN)
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    assert_accessible(page)
    no_script_page.goto(url)
    assert _shows(no_script_page, "Preparing your file", "Preparing", STARTED_AGAIN) == seen

    run_worker("worker-b")  # the export, made again
    run_worker("worker-c")  # its email
    page.get_by_role("link", name="Check again whether your file is ready").click()
    _shows(page, "Your file is ready", "Ready", "Sample rows, 40 rows")
    expect(page.get_by_text(STARTED_AGAIN)).to_have_count(0)
    assert_accessible(page)


def test_an_export_whose_workers_kept_dying_is_taking_too_long_and_is_tried_again(
    live_server, page, owner, settings, monkeypatch
) -> None:
    database_worker(settings, monkeypatch)
    settings.THRIVE_TASK_MAX_ATTEMPTS = 2
    job = _asked(owner)
    for worker in ("worker-a", "worker-b"):
        killed_while_running(job.task_id, worker, minutes_ago=10)
        assert export_jobs._claim(job.pk, job.task_id) is not None
        tasks.take_back()
    assert task_status(job.task_id) == "FAILED"  # not tried a third time
    sign_in_as(live_server, owner, page)

    page.goto(f"{live_server.url}/exports/{job.pk}/")
    _shows(page, "Your file is taking too long", "Taking too long", TOO_LONG)
    expect(page.get_by_text(STARTED_AGAIN)).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    _shows(page, "Preparing your file", "Preparing", "We are making your file again.")
    assert_accessible(page)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.PENDING and task_status(job.task_id) == "READY"


def _wait_passed(job: ExportJob) -> None:
    """The job was queued longer ago than the wait limit, and nothing has made it."""
    ExportJob.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - export_jobs.wait_limit() - timedelta(minutes=1)
    )


def test_an_export_waiting_past_the_limit_is_tried_again_and_is_preparing_again(
    live_server, page, no_script_page, owner, settings, monkeypatch
) -> None:
    database_worker(settings, monkeypatch)
    job = _asked(owner)
    first_task = job.task_id
    _wait_passed(job)
    sign_in_as(live_server, owner, page, no_script_page)
    url = f"{live_server.url}/exports/{job.pk}/"

    page.goto(url)
    seen = _shows(page, "Your file is taking too long", "Taking too long", TOO_LONG)
    assert_accessible(page)
    no_script_page.goto(url)
    assert (
        _shows(no_script_page, "Your file is taking too long", "Taking too long", TOO_LONG) == seen
    )
    page.get_by_role("link", name="Your exports").click()
    expect(page.get_by_role("row", name="Sample rows")).to_contain_text("Taking too long")
    assert_accessible(page)

    no_script_page.get_by_role("button", name="Try again").click()
    _shows(no_script_page, "Preparing your file", "Preparing", "We are making your file again.")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.PENDING and job.task_id not in ("", first_task)
    assert task_status(job.task_id) == "READY"

    _wait_passed(job)
    page.get_by_role("link", name="Sample rows").click()
    page.get_by_role("button", name="Try again").click()
    _shows(page, "Preparing your file", "Preparing", "We are making your file again.")
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    assert_accessible(page)

    run_worker("worker-a")
    page.get_by_role("link", name="Check again whether your file is ready").click()
    _shows(page, "Your file is ready", "Ready", "Sample rows, 40 rows")

"""Nothing is held for ever by a task worker that died: its heartbeat stops, another worker
queues its task again (or fails it after a few attempts) and finishes it, once; the receipt
and export emails are sent once however often their task runs; an export whose task died
says so and can be made again; /healthz counts what dead workers hold."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import UserFactory, staff_with_role
from thrive.applications import tasks as application_tasks
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.core import export_jobs, export_registry, tasks
from thrive.core.models import DoneOnce, ExportJob, WorkerHeartbeat
from thrive.testing.workers import database_worker, killed_while_running, run_worker, task_status

RUNS: list[str] = []
STALE = 180
QUERIES_OF_YOUR_EXPORTS = 6  # session, user, roles, council, jobs, and one for all their tasks


@task()
def note_run(label: str) -> str:
    """A task whose every run is seen."""
    RUNS.append(label)
    return label


@pytest.fixture(autouse=True)
def _database_worker(settings, tmp_path, monkeypatch):
    """Tasks queued in the task table and run by a worker, as in production (the worker
    keeps the test's connection, which its check for broken connections would close)."""
    database_worker(settings, monkeypatch)
    settings.THRIVE_TASK_STALE_AFTER = STALE
    settings.THRIVE_TASK_MAX_ATTEMPTS = 3
    settings.MEDIA_ROOT = tmp_path
    settings.THRIVE_EXPORT_INLINE_ROWS = 10
    export_registry.register(
        "core.sample", action="exports.list", build="thrive.core.tests.export_samples:sample_table"
    )
    RUNS.clear()


# --- taking back the tasks of dead workers -------------------------------------------------


@pytest.mark.django_db
def test_a_task_held_by_a_killed_worker_is_finished_once_by_another() -> None:
    result = note_run.enqueue("receipt")
    killed_while_running(result.id, "worker-a", minutes_ago=10)
    run_worker("worker-b")  # another worker finds nothing ready: the task is held
    assert RUNS == [] and task_status(result.id) == TaskResultStatus.RUNNING
    tasks.beat("worker-b")

    taken = tasks.take_back()

    assert [held.task_id for held in taken.requeued] == [str(result.id)]
    assert taken.requeued[0].worker_id == "worker-a" and taken.failed == []
    assert task_status(result.id) == TaskResultStatus.READY
    run_worker("worker-b")
    run_worker("worker-c")
    assert RUNS == ["receipt"]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["worker-a", "worker-b"]
    assert tasks.take_back().requeued == []


@pytest.mark.django_db
def test_the_heartbeats_of_workers_dead_for_a_day_are_cleared() -> None:
    tasks.beat("long-gone", now=timezone.now() - timedelta(days=2))
    tasks.beat("worker-a")
    tasks.take_back()
    assert list(tasks.heartbeats()) == ["worker-a"]


@pytest.mark.django_db
def test_a_worker_still_beating_keeps_its_long_task() -> None:
    result = note_run.enqueue("long export")
    killed_while_running(result.id, "worker-a", minutes_ago=30)
    tasks.beat("worker-a")  # alive after all: the task is just long

    assert tasks.take_back().requeued == []
    assert tasks.held_by_dead_workers() == []
    assert task_status(result.id) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_claimed_a_moment_ago_is_left_even_if_its_worker_never_beat() -> None:
    result = note_run.enqueue("new")
    DBTaskResult.objects.get(pk=result.id).claim("worker-without-heartbeat")

    assert tasks.take_back().requeued == []
    later = timezone.now() + timedelta(seconds=STALE + 1)
    assert [held.task_id for held in tasks.take_back(now=later).requeued] == [str(result.id)]


@pytest.mark.django_db
def test_a_task_whose_workers_keep_dying_fails_with_a_clear_error(caplog) -> None:
    result = note_run.enqueue("poison")
    for attempt, worker in enumerate(["worker-a", "worker-b", "worker-c"], start=1):
        killed_while_running(result.id, worker, minutes_ago=10)
        taken = tasks.take_back()
        assert len(taken.requeued if attempt < 3 else taken.failed) == 1

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "thrive.core.tasks.WorkerLost"
    assert "stopped answering, on each of 3 attempts" in row.traceback
    assert row.finished_at is not None
    assert "queued again (attempt 2 of 3)" in caplog.text
    assert "failed after 3 attempts" in caplog.text
    run_worker("worker-d")
    assert RUNS == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_taking_back_at_once_take_each_task_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED: PostgreSQL")
    held = [note_run.enqueue(f"task {n}").id for n in range(40)]
    for task_id in held:
        killed_while_running(task_id, "worker-a", minutes_ago=10)
    start = threading.Barrier(2)
    taken: list[tasks.Taken] = []

    def reaper() -> None:
        try:
            start.wait()
            taken.append(tasks.take_back())
        finally:
            connection.close()

    threads = [threading.Thread(target=reaper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    requeued = [h.task_id for t in taken for h in t.requeued]
    assert sorted(requeued) == sorted(str(task_id) for task_id in held)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 40
    assert all(len(ids) == 1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))


@pytest.mark.django_db
def test_the_watch_beats_while_the_worker_runs_and_forgets_it_when_it_stops(
    settings, monkeypatch
) -> None:
    settings.THRIVE_TASK_HEARTBEAT_SECONDS = 0.05
    watch = tasks.WorkerWatch("worker-a")
    watch.start = lambda: tasks.beat(watch.worker_id)  # no thread: this test's transaction
    watch.start()
    first = WorkerHeartbeat.objects.get(worker_id="worker-a").seen_at
    monkeypatch.setattr(tasks, "take_back", lambda: 1 / 0)
    watch.once()  # a fault in taking back is logged; the watch goes on beating
    assert WorkerHeartbeat.objects.get(worker_id="worker-a").seen_at > first
    watch.stopping.set()
    watch.join = lambda timeout=None: None
    watch.stop()
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_health_counts_the_tasks_held_by_dead_workers(client) -> None:
    alive, dead = note_run.enqueue("alive"), note_run.enqueue("dead")
    killed_while_running(alive.id, "worker-a", minutes_ago=10)
    tasks.beat("worker-a")
    killed_while_running(dead.id, "worker-b", minutes_ago=10)

    body = client.get("/healthz").json()
    assert body["tasks"]["held_by_dead_workers"] == 1
    assert 0 <= body["tasks"]["worker_last_seen_seconds"] < 60
    tasks.take_back()
    assert client.get("/healthz").json()["tasks"]["held_by_dead_workers"] == 0


# --- work done once ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_receipt_is_emailed_once_however_often_its_task_runs(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    application = SubmittedApplicationFactory()
    submission = application.submissions.get()
    submission.submitted_by = UserFactory(email="applicant@example.org")
    submission.save()

    application_tasks.send_receipt.call(submission.pk)
    application_tasks.send_receipt.call(submission.pk)  # run again after its worker was lost

    assert len(mail.outbox) == 1
    assert "applicant@example.org" in mail.outbox[0].to


@pytest.mark.django_db
def test_work_that_fails_leaves_no_mark_so_the_next_run_does_it() -> None:
    def broken() -> int:
        raise ConnectionError("mail server down")

    with pytest.raises(ConnectionError):
        tasks.run_once("sample:1", broken)
    assert not DoneOnce.objects.exists()
    assert tasks.run_once("sample:1", lambda: 1) == 1
    assert tasks.run_once("sample:1", lambda: 2) is None


# --- background exports ------------------------------------------------------------------


def _asked(owner) -> tuple[ExportJob, Client, str]:
    """The owner asks for a 20-row export: a job, its queued task and its page."""
    request = RequestFactory().get("/sample/?rows=20")
    request.user = owner
    export_jobs.respond(request, "core.sample")
    job = ExportJob.objects.get()
    client = Client()
    client.force_login(owner)
    return job, client, reverse("core:export", kwargs={"job_id": job.pk})


def _started_export(capture) -> tuple[ExportJob, Client, str]:
    """Ann's 20-row export, its task queued and the job claimed by a worker under it."""
    owner = staff_with_role(Role.COMMISSIONER, email="ann@westshire.example")
    with capture(execute=True):
        job, client, page = _asked(owner)
    job.refresh_from_db()
    assert job.task_id and task_status(job.task_id) == TaskResultStatus.READY
    assert export_jobs._claim(job.pk, job.task_id) is not None
    return job, client, page


def _export_files(tmp_path: Path) -> list[Path]:
    return [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_an_export_and_its_task_are_recorded_together(django_capture_on_commit_callbacks) -> None:
    """Queued in the transaction that records the job: a web process killed as it commits
    leaves both or neither, never a job waiting for a task that was not queued."""
    with django_capture_on_commit_callbacks(execute=False):
        job, _, _ = _asked(staff_with_role(Role.COMMISSIONER))
    job.refresh_from_db()
    assert job.task_id and task_status(job.task_id) == TaskResultStatus.READY


@pytest.mark.django_db
def test_an_export_whose_worker_died_is_made_again_once_with_one_email(
    tmp_path, django_capture_on_commit_callbacks
) -> None:
    job, client, page = _started_export(django_capture_on_commit_callbacks)
    # the worker that claimed it is killed while making the file
    killed_while_running(job.task_id, "worker-a", minutes_ago=10)
    assert "Preparing your file" in client.get(page).content.decode()

    tasks.take_back()
    text = client.get(page).content.decode()
    assert "Preparing your file" in text and "it has started again" in text
    with django_capture_on_commit_callbacks(execute=True):
        run_worker("worker-b")
        run_worker("worker-c")  # the email's task

    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.READY, 20)
    assert "Your file is ready" in client.get(page).content.decode()
    assert len(_export_files(tmp_path)) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@westshire.example"]
    # the email's task run again, and the export's: nothing more
    export_jobs.email_export_ready.call(job.pk)
    assert export_jobs.build_export(job_id=job.pk, task_id=job.task_id) is None
    assert len(mail.outbox) == 1 and len(_export_files(tmp_path)) == 1


@pytest.mark.django_db
def test_an_export_whose_task_failed_offers_a_retry_that_makes_it(
    tmp_path, django_capture_on_commit_callbacks
) -> None:
    job, client, page = _started_export(django_capture_on_commit_callbacks)
    first_task = job.task_id
    DBTaskResult.objects.filter(pk=first_task).update(status=TaskResultStatus.FAILED)

    text = client.get(page).content.decode()
    assert "Your file is taking too long" in text and "Try again" in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:export_retry", kwargs={"job_id": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportJob.Status.PENDING and job.task_id not in ("", first_task)
    # the first attempt's task, run after all, finds the job taken
    assert export_jobs.build_export(job_id=job.pk, task_id=first_task) is None
    with django_capture_on_commit_callbacks(execute=True):
        run_worker("worker-b")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY
    assert len(_export_files(tmp_path)) == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_export_waiting_past_the_limit_offers_a_retry_and_a_fresh_one_does_not(
    settings, django_capture_on_commit_callbacks
) -> None:
    owner = staff_with_role(Role.COMMISSIONER)
    with django_capture_on_commit_callbacks(execute=True):
        job, client, page = _asked(owner)
    retry = reverse("core:export_retry", kwargs={"job_id": job.pk})
    assert "Try again" not in client.get(page).content.decode()
    client.post(retry)  # nothing to retry yet: nothing changes
    job.refresh_from_db()
    assert job.status == ExportJob.Status.PENDING and task_status(job.task_id) == "READY"

    settings.THRIVE_EXPORT_WAIT_MINUTES = 0
    assert "Try again" in client.get(page).content.decode()


def _status_in_list(page: str, title: str) -> str:
    """The status tag of the export titled ``title`` on the page of your exports."""
    row = next(row for row in page.split("<tr ") if f">{title}</a>" in row)
    return re.search(r'<strong class="govuk-tag[^"]*">([^<]+)</strong>', row).group(1)


@pytest.mark.django_db
def test_your_exports_says_which_files_are_taking_too_long_reading_their_tasks_at_once(
    django_assert_max_num_queries,
) -> None:
    owner = staff_with_role(Role.COMMISSIONER)
    _, failed, overdue, lost = (
        export_jobs.start_export(
            actor=owner, key="core.sample", params={}, fmt="csv", title=title, rows=None
        )
        for title in ("Fresh", "Failed task", "Overdue", "Task removed")
    )
    for job in (failed, lost):
        job.refresh_from_db()
    DBTaskResult.objects.filter(pk=failed.task_id).update(status=TaskResultStatus.FAILED)
    DBTaskResult.objects.filter(pk=lost.task_id).delete()
    ExportJob.objects.filter(pk=overdue.pk).update(
        queued_at=timezone.now() - export_jobs.wait_limit() - timedelta(minutes=1)
    )
    client = Client()
    client.force_login(owner)

    with django_assert_max_num_queries(QUERIES_OF_YOUR_EXPORTS):
        page = client.get(reverse("core:exports")).content.decode()

    assert _status_in_list(page, "Fresh") == "Preparing"
    for title in ("Failed task", "Overdue", "Task removed"):
        assert _status_in_list(page, title) == "Taking too long"


# --- a real worker killed --------------------------------------------------------------------

SLOW_TASK = """
import time
from pathlib import Path

from django_tasks import task


@task(takes_context=True)
def slow(context, path):
    Path(path + f".attempt{context.attempt}").write_text("started")
    if context.attempt == 1:
        time.sleep(120)  # killed long before this ends
    with open(path, "a") as out:
        out.write(f"finished on attempt {context.attempt}\\n")
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_has_its_task_finished_by_another(tmp_path, monkeypatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two worker processes on one database: PostgreSQL")
    (tmp_path / "slow_task.py").write_text(SLOW_TASK)
    monkeypatch.syspath_prepend(str(tmp_path))
    import slow_task

    db = connection.settings_dict
    env = {
        **os.environ,
        "THRIVE_ENV": "development",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "THRIVE_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "THRIVE_TASK_HEARTBEAT_SECONDS": "0.5",
        "THRIVE_TASK_STALE_AFTER": "3",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    worker = [sys.executable, "-m", "thrive.cli", "db_worker", "--no-reload"]
    worker += ["--no-startup-delay", "--interval", "0.2"]
    done = tmp_path / "done.txt"
    result = slow_task.slow.enqueue(str(done))

    first = subprocess.Popen([*worker, "--worker-id", "first"], env=env)
    try:
        deadline = time.monotonic() + 40
        while not Path(f"{done}.attempt1").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert Path(f"{done}.attempt1").exists(), "the first worker never started the task"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert task_status(result.id) == TaskResultStatus.RUNNING  # held by a dead worker

        second = subprocess.run(
            [*worker, "--worker-id", "second", "--max-tasks", "1"], env=env, timeout=45
        )
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == 0
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["first", "second"]
    assert done.read_text() == "finished on attempt 2\n"
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["first"]


class _NoWatch:
    def __init__(self, worker_id: str | None) -> None:
        pass

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


@pytest.mark.django_db
@pytest.mark.parametrize(("nice", "lowered_by"), [(10, [10]), (0, []), (40, [19])])
def test_the_worker_lowers_its_cpu_priority_and_still_sends_the_receipt(
    settings, monkeypatch, nice, lowered_by
) -> None:
    """In a rush the web workers come first; the worker's emails wait for a free moment."""
    from thrive.core.management.commands import db_worker

    settings.THRIVE_WORKER_NICE = nice
    lowered: list[int] = []
    monkeypatch.setattr(db_worker.os, "nice", lowered.append)  # this process keeps its own
    monkeypatch.setattr(db_worker, "WorkerWatch", _NoWatch)
    submission = SubmittedApplicationFactory().submissions.get()
    submission.submitted_by = UserFactory(email="applicant@example.org")
    submission.save()
    application_tasks.send_receipt.enqueue(submission.pk)
    mail.outbox.clear()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    assert lowered == lowered_by
    assert [m.subject for m in mail.outbox] == [f"Application received: {submission.reference}"]

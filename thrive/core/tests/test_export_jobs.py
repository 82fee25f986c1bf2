"""Exports too large to download at once are made in the background, for their owner only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest
import tablib
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from thrive.accounts.models import Role, RoleAssignment
from thrive.accounts.tests.factories import (
    CouncilFactory,
    MembershipFactory,
    UserFactory,
    staff_with_role,
)
from thrive.core import export_jobs, export_registry
from thrive.core.models import ExportJob
from thrive.core.tests.export_samples import HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sample_export(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.THRIVE_EXPORT_INLINE_ROWS = 10
    export_registry.register(
        "core.sample", action="exports.list", build="thrive.core.tests.export_samples:sample_table"
    )


def _ask(user, query: str):
    request = RequestFactory().get(f"/sample/?{query}")
    request.user = user
    return export_jobs.respond(request, "core.sample")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _made(capture) -> tuple[object, ExportJob]:
    """A commissioner and the 20-row export made for them in the background."""
    owner = staff_with_role(Role.COMMISSIONER)
    with capture(execute=True):
        _ask(owner, "rows=20")
    return owner, ExportJob.objects.get()


def _download(client: Client, job: ExportJob) -> bytes:
    response = client.get(reverse("core:export_download", kwargs={"job_id": job.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def test_a_small_export_downloads_at_once_and_no_job_is_made() -> None:
    response = _ask(staff_with_role(Role.COMMISSIONER), "rows=10&format=csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sample-rows-')
    assert len(_csv(response.content)) == 11
    assert not ExportJob.objects.exists()


def test_a_large_export_is_prepared_then_ready_with_one_email_and_the_right_rows(
    django_capture_on_commit_callbacks,
) -> None:
    user = staff_with_role(Role.COMMISSIONER, email="ann@westshire.example")
    with django_capture_on_commit_callbacks() as queued:
        response = _ask(user, "rows=25&name=%3DHYPERLINK(1)&format=csv&page=3")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:export", kwargs={"job_id": job.pk})
    assert (job.user, job.key, job.params, job.fmt) == (
        user,
        "core.sample",
        {"rows": ["25"], "name": ["=HYPERLINK(1)"]},
        "csv",
    )
    client = _client(user)
    page = client.get(response["Location"]).content.decode()
    assert "Preparing your file" in page and ": about" not in page  # counted when made
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    export_jobs.build_export(job_id=job.pk, task_id=job.task_id)  # a second delivery: nothing

    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.READY, 25)
    assert job.expires_at - job.finished_at == dt.timedelta(days=7)
    page = client.get(response["Location"]).content.decode()
    assert "Your file is ready" in page
    assert reverse("core:export_download", kwargs={"job_id": job.pk}) in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@westshire.example"]
    assert mail.outbox[0].subject == "Your export is ready: Sample rows"
    assert f"/exports/{job.pk}/" in mail.outbox[0].body
    rows = _csv(_download(client, job))
    assert rows[0] == HEADERS
    assert rows[1:] == [[str(n), f"'=HYPERLINK(1) {n}", str(n * 100)] for n in range(1, 26)]


@pytest.mark.parametrize(("people", "inline"), [(10, True), (11, False)])
def test_the_choice_of_inline_or_background_reads_at_most_one_row_past_the_limit(
    people, inline
) -> None:
    export_registry.register(
        "core.people", action="exports.list", build="thrive.core.tests.export_samples:people_table"
    )
    for number in range(people):
        UserFactory(email=f"person{number}@count.example")
    request = RequestFactory().get("/people/?domain=@count.example&format=csv")
    request.user = staff_with_role(Role.COMMISSIONER)

    with CaptureQueriesContext(connection) as queries:
        response = export_jobs.respond(request, "core.people")

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 11" in counts[0].upper()
    if inline:
        assert response.status_code == 200 and len(_csv(response.content)) == 11
        assert not ExportJob.objects.exists()
    else:
        assert response.status_code == 302
        assert ExportJob.objects.get().row_count is None  # the real count is set when made


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_spreadsheets_made_in_the_background_hold_every_row(
    fmt: str, django_capture_on_commit_callbacks
) -> None:
    user = staff_with_role(Role.COMMISSIONER)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(user, f"rows=30&format={fmt}")
    content = _download(_client(user), ExportJob.objects.get(status=ExportJob.Status.READY))
    if fmt == "xlsx":
        values = list(load_workbook(io.BytesIO(content)).active.values)
    else:
        loaded = tablib.Dataset().load(io.BytesIO(content), format="ods")
        values = [tuple(loaded.headers), *loaded]
    assert list(values[0]) == HEADERS
    assert len(values) == 31
    assert list(values[30]) == [30, "Ashbourne Trust 30", 3000]


def test_only_the_person_who_asked_sees_or_downloads_the_file(
    django_capture_on_commit_callbacks,
) -> None:
    owner, job = _made(django_capture_on_commit_callbacks)
    others = [
        staff_with_role(Role.COMMISSIONER, council=owner.council),
        staff_with_role(Role.COMMISSIONER, council=CouncilFactory()),
        MembershipFactory(is_admin=True).user,
    ]
    for other in others:
        client = _client(other)
        for name in ("core:export", "core:export_download"):
            assert client.get(reverse(name, kwargs={"job_id": job.pk})).status_code == 403
        assert job.title not in client.get(reverse("core:exports")).content.decode()
    assert _client(owner).get(reverse("core:exports")).content.decode().count(job.title) == 1


def test_the_download_is_refused_once_the_owner_may_no_longer_make_the_export(
    django_capture_on_commit_callbacks,
) -> None:
    owner, job = _made(django_capture_on_commit_callbacks)
    RoleAssignment.objects.filter(user=owner).delete()
    owner.council = None  # left the council: no longer staff
    owner.save()

    url = reverse("core:export_download", kwargs={"job_id": job.pk})
    assert _client(owner).get(url).status_code == 403


def test_expired_files_are_removed_and_can_be_made_again(
    django_capture_on_commit_callbacks,
) -> None:
    owner, job = _made(django_capture_on_commit_callbacks)
    stored = job.file.path
    assert export_jobs.purge_expired_exports(now=timezone.now() + dt.timedelta(days=6)) == 0

    assert export_jobs.purge_expired_exports(now=timezone.now() + dt.timedelta(days=8)) == 1

    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file
    assert not os.path.exists(stored)
    client = _client(owner)
    assert client.get(reverse("core:export_download", kwargs={"job_id": job.pk})).status_code == 404
    assert (
        "Your file has expired"
        in client.get(reverse("core:export", kwargs={"job_id": job.pk})).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:export_retry", kwargs={"job_id": job.pk}))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY


def test_a_failed_export_says_so_and_its_retry_makes_the_file(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    owner = staff_with_role(Role.COMMISSIONER)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export_jobs, "write_export", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(owner, "rows=20")
    job = ExportJob.objects.get()
    client = _client(owner)
    page = client.get(reverse("core:export", kwargs={"job_id": job.pk})).content.decode()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "We could not make your file" in page and "Try again" in page
    assert mail.outbox == []

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:export_retry", kwargs={"job_id": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.READY, 20)
    assert len(mail.outbox) == 1

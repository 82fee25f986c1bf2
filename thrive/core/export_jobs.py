"""Exports large enough to be made in the background, and the one way pages answer an export.

A page's export view calls ``respond(request, key)``: a table of at most
``THRIVE_EXPORT_INLINE_ROWS`` rows (50,000 unless set) downloads at once; a larger one is
recorded as an ``ExportJob`` and made by the task worker, and the person is sent to the
job's page ("Preparing your file", then "Your file is ready") and emailed a link when it
is done. The worker builds the rows from the stored key and filters as the person who
asked, checking again that they may; the file expires after ``THRIVE_EXPORT_KEEP_DAYS``
(7) and ``thrive purge_exports`` (run daily) removes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from thrive.core import export_registry, policy
from thrive.core.db_router import reading_replica
from thrive.core.email import send_templated_email
from thrive.core.exports import EXPORT_FORMATS, export_response, write_export
from thrive.core.models import ExportJob
from thrive.core.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)
Status = ExportJob.Status
WAITING = (Status.PENDING, Status.RUNNING)


def inline_limit() -> int:
    """The most rows an export downloads at once; more are made in the background."""
    return int(getattr(settings, "THRIVE_EXPORT_INLINE_ROWS", 50_000))


def keep_days() -> int:
    return int(getattr(settings, "THRIVE_EXPORT_KEEP_DAYS", 7))


def build_table(
    export: export_registry.Export, user: Any, params: QueryDict
) -> export_registry.Table:
    """The table as ``user`` may see it with ``params``; refuses as the export's page would."""
    if not policy.needs_object(export.action):
        policy.require(user, export.action)
    return export.builder()(user, params)


def allowed(export: export_registry.Export, user: Any, params: QueryDict) -> bool:
    """Whether ``user`` may still have this export with these filters."""
    try:
        build_table(export, user, params)
    except PermissionDenied:
        return False
    return True


def respond(request: HttpRequest, key: str) -> HttpResponse:
    """The export as a download, or (over the inline limit) queued and its page shown."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404("Unknown format")
    export = export_registry.get(key)
    table = build_table(export, request.user, request.GET)
    if count_up_to(table, inline_limit() + 1) > inline_limit():
        job = start_export(
            actor=request.user,
            key=key,
            params=export_registry.params_of(request.GET),
            fmt=fmt,
            title=table.title,
            rows=None,  # counted when the file is made: counting a million rows first is slow
        )
        return redirect("core:export", job_id=job.pk)
    return export_response(
        headers=table.headers, rows=table.rows, fmt=fmt, filename=table.filename, title=table.title
    )


def count_up_to(table: export_registry.Table, limit: int) -> int:
    """The table's rows counted no further than ``limit``: enough to choose inline or not.

    A table counted by a queryset's ``count`` is counted as ``LIMIT limit``, so asking for
    a million rows reads no more than ``limit`` of them; any other count is asked as it is.
    """
    if table.count is None:
        return 0
    queryset = getattr(table.count, "__self__", None)
    if isinstance(queryset, QuerySet):
        return queryset.order_by()[:limit].count()  # which rows does not matter: no sort
    return min(table.count(), limit)


def start_export(
    *, actor: Any, key: str, params: dict[str, list[str]], fmt: str, title: str, rows: int | None
) -> ExportJob:
    """Record the export ``actor`` asked for and queue it for the task worker."""
    export_registry.get(key)
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=actor,
            council_id=getattr(actor, "council_id", None),
            key=key,
            params=params,
            fmt=fmt,
            title=title[:200],
            row_count=rows,
        )
        enqueue_on_commit(make_export_file, job.pk)
    return job


def retry_export(*, job: ExportJob, actor: Any) -> bool:
    """Make a failed or expired export again (only its owner may); False for any other."""
    if job.user_id != actor.pk:
        raise PermissionDenied("Only the person who asked for an export may retry it")
    with transaction.atomic():
        updated = ExportJob.objects.filter(
            pk=job.pk, status__in=(Status.FAILED, Status.EXPIRED)
        ).update(status=Status.PENDING, error="", finished_at=None, expires_at=None)
        if updated:
            enqueue_on_commit(make_export_file, job.pk)
    return bool(updated)


def _claim(job_id: int) -> ExportJob | None:
    """Mark the job running, once: a second delivery of the same task finds nothing to do."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Status.PENDING:
            return None
        job.status = Status.RUNNING
        job.save(update_fields=["status"])
    return job


def _file_name(job: ExportJob, table: export_registry.Table) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", table.filename).strip("-") or "export"
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{job.fmt}"


def build_export(*, job_id: int) -> ExportJob | None:
    """Make the job's file as the person who asked; mark it ready (or failed) once."""
    job = _claim(job_id)
    if job is None:
        return None
    try:
        user = job.user
        export = export_registry.get(job.key)
        table = build_table(export, user, export_registry.query_of(job.params))
        with reading_replica(), tempfile.TemporaryFile() as out:  # rows a second or two old do
            count = write_export(
                out, headers=table.headers, rows=table.rows, fmt=job.fmt, title=table.title
            )
            out.seek(0)
            name = _file_name(job, table)
            job.file.save(name, File(out), save=False)
    except PermissionDenied:
        return _fail(job, "You may no longer make this export.")
    except Exception:
        logger.exception("Export %s failed", job.pk)
        return _fail(job, "Something went wrong while the file was made.")
    now = timezone.now()
    with transaction.atomic():
        job.status, job.row_count, job.filename = Status.READY, count, name
        job.finished_at, job.expires_at = now, now + dt.timedelta(days=keep_days())
        job.save(
            update_fields=["status", "row_count", "filename", "file", "finished_at", "expires_at"]
        )
        enqueue_on_commit(email_export_ready, job.pk)
    return job


def _fail(job: ExportJob, reason: str) -> ExportJob:
    job.status, job.error, job.finished_at = Status.FAILED, reason, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def purge_expired_exports(*, now: dt.datetime | None = None) -> int:
    """Remove the files of exports past their expiry; answer how many were removed."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(status=Status.READY, expires_at__lte=now)
    removed = 0
    for job in expired.iterator():
        if job.file:
            job.file.delete(save=False)
        job.status, job.file = Status.EXPIRED, ""
        job.save(update_fields=["status", "file"])
        removed += 1
    return removed


@task()
def make_export_file(job_id: int) -> int | None:
    """Make one export's file (task worker)."""
    job = build_export(job_id=job_id)
    return job.row_count if job is not None else None


@task()
def email_export_ready(job_id: int) -> int:
    """Email the person who asked that their file is ready, with the link to it."""
    job = ExportJob.objects.select_related("user", "council").filter(pk=job_id).first()
    if job is None or job.status != Status.READY or not job.user.email:
        return 0
    return send_templated_email(
        to=[job.user.email],
        template="export_ready",
        context={"job": job, "path": reverse("core:export", kwargs={"job_id": job.pk})},
        council=job.council,
    )

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
import uuid
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
from django_tasks import TaskContext, task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from thrive.core import export_registry, policy
from thrive.core.db_router import reading_replica
from thrive.core.email import send_templated_email
from thrive.core.exports import EXPORT_FORMATS, export_response, write_export
from thrive.core.models import ExportJob
from thrive.core.tasks import enqueue_with_transaction, run_once

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
            queued_at=timezone.now(),
        )
        _queue(job.pk)
    return job


def _queue(job_id: int) -> None:
    """Queue the task making the job's file and note which task it is: in the transaction
    recording the job when the queue is a table of the database (a job is never left
    without its task), else once it commits."""
    if isinstance(make_export_file.get_backend(), DatabaseBackend):
        _enqueue_noted(job_id)
    else:
        transaction.on_commit(lambda: _enqueue_noted(job_id))


def _enqueue_noted(job_id: int) -> None:
    result = make_export_file.enqueue(job_id)
    # The task notes itself when it starts; a worker quicker than this has done so already.
    ExportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id))


def wait_limit() -> dt.timedelta:
    """How long a file may be prepared before its page offers to try again."""
    return dt.timedelta(minutes=float(getattr(settings, "THRIVE_EXPORT_WAIT_MINUTES", 60)))


def task_state(job: ExportJob) -> str | None:
    """The status of the task making a job's file (``READY``, ``RUNNING``, ``FAILED``,
    ``SUCCESSFUL``), or None when there is no such task (never noted, or removed)."""
    if not job.task_id:
        return None
    return (
        DBTaskResult.objects.filter(pk=job.task_id).values_list("status", flat=True).first()
        if _is_task_id(job.task_id)
        else None
    )


def stuck_ids(jobs: list[ExportJob]) -> set[int]:
    """Of these jobs, the ids of those still being prepared that are stuck (one query for
    the states of their tasks)."""
    waiting = [job for job in jobs if job.status in WAITING]
    noted = [job.task_id for job in waiting if _is_task_id(job.task_id)]
    rows = DBTaskResult.objects.filter(pk__in=noted).values_list("pk", "status") if noted else []
    states = {str(pk): state for pk, state in rows}
    return {job.pk for job in waiting if stuck(job, state=states.get(job.task_id))}


def _is_task_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def stuck(job: ExportJob, *, state: str | None = None, now: dt.datetime | None = None) -> bool:
    """Whether a file still being prepared will not be made without a retry: its task
    failed, ended or was removed without making it, or it has waited past the limit."""
    if job.status not in WAITING:
        return False
    now = now or timezone.now()
    if now - (job.queued_at or job.created_at) > wait_limit():
        return True
    if not job.task_id:
        return False  # queued a moment ago: the task has not been noted yet
    return state not in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def retry_export(*, job: ExportJob, actor: Any) -> bool:
    """Make a failed, expired or stuck export again (only its owner may); False for any other.

    Only a task noted on the job may make its file: the retry notes a new one, so a task
    of an earlier attempt that runs after all finds the job taken.
    """
    if job.user_id != actor.pk:
        raise PermissionDenied("Only the person who asked for an export may retry it")
    retryable = job.status in (Status.FAILED, Status.EXPIRED) or stuck(job, state=task_state(job))
    if not retryable:
        return False
    with transaction.atomic():
        updated = ExportJob.objects.filter(
            pk=job.pk, status=job.status, task_id=job.task_id
        ).update(
            status=Status.PENDING,
            error="",
            finished_at=None,
            expires_at=None,
            task_id="",
            queued_at=timezone.now(),
        )
        if updated:
            logger.info("Export %s (%s) queued again by its owner", job.pk, job.status)
            _queue(job.pk)
    return bool(updated)


def _claim(job_id: int, task_id: str | None) -> ExportJob | None:
    """Mark the job running for this task, once: any other delivery finds nothing to do.

    The same task run again after its worker was lost (the job left running under it)
    makes the file again; a task the job no longer names (before a retry) does nothing.
    """
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        mine = task_id is None or job.task_id in ("", task_id)
        if job.status == Status.RUNNING and task_id is not None and job.task_id == task_id:
            logger.warning("Export %s: making the file again, its worker was lost", job.pk)
        elif job.status != Status.PENDING or not mine:
            return None
        job.status = Status.RUNNING
        if task_id is not None:
            job.task_id = task_id
        job.save(update_fields=["status", "task_id"])
    return job


def _file_name(job: ExportJob, table: export_registry.Table) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", table.filename).strip("-") or "export"
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{job.fmt}"


def build_export(*, job_id: int, task_id: str | None = None) -> ExportJob | None:
    """Make the job's file as the person who asked; mark it ready (or failed) once.

    ``task_id`` is the task making it (None when called directly): the job is finished only
    while it still names that task, so one file is kept and one email sent.
    """
    job = _claim(job_id, task_id)
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
    expires = now + dt.timedelta(days=keep_days())
    with transaction.atomic():
        finished = ExportJob.objects.filter(
            pk=job.pk, status=Status.RUNNING, task_id=job.task_id
        ).update(
            status=Status.READY,
            row_count=count,
            filename=name,
            file=job.file.name,
            finished_at=now,
            expires_at=expires,
        )
        if finished:  # the file is ready and its email queued, or neither
            enqueue_with_transaction(email_export_ready, job.pk)
    if not finished:
        logger.warning("Export %s was made by another attempt: this file is removed", job.pk)
        job.file.delete(save=False)
        return None
    job.status, job.row_count, job.filename = Status.READY, count, name
    job.finished_at, job.expires_at = now, expires
    return job


def _fail(job: ExportJob, reason: str) -> ExportJob:
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING, task_id=job.task_id).update(
        status=Status.FAILED, error=reason, finished_at=now
    )
    job.status, job.error, job.finished_at = Status.FAILED, reason, now
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


@task(takes_context=True)
def make_export_file(context: TaskContext, job_id: int) -> int | None:
    """Make one export's file (task worker)."""
    job = build_export(job_id=job_id, task_id=str(context.task_result.id))
    return job.row_count if job is not None else None


@task()
def email_export_ready(job_id: int) -> int:
    """Email the person who asked that their file is ready, with the link to it: once for
    each making of the file, however often this task runs."""
    job = ExportJob.objects.select_related("user", "council").filter(pk=job_id).first()
    if job is None or job.status != Status.READY or not job.user.email:
        return 0
    sent = run_once(
        f"core.export_ready:{job.pk}:{job.task_id or job.finished_at}",
        lambda: send_templated_email(
            to=[job.user.email],
            template="export_ready",
            context={"job": job, "path": reverse("core:export", kwargs={"job_id": job.pk})},
            council=job.council,
        ),
    )
    return sent or 0

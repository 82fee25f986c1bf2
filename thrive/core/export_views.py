"""Your exports: the page of a file being made in the background, its download and retry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thrive.core import export_jobs, export_registry, policy
from thrive.core.exports import EXPORT_FORMATS
from thrive.core.models import ExportJob

RECENT = 50


def _job(request: HttpRequest, job_id: int) -> ExportJob:
    job = get_object_or_404(ExportJob, pk=job_id)
    policy.require(request.user, "exports.job", job)
    return job


@policy.rule("exports.list")
def export_list(request: HttpRequest) -> HttpResponse:
    """The exports the signed-in person asked for lately, newest first."""
    jobs = list(ExportJob.objects.filter(user=request.user).order_by("-created_at", "-pk")[:RECENT])
    return render(
        request,
        "core/exports.html",
        {"jobs": jobs, "stuck_ids": export_jobs.stuck_ids(jobs), "formats": EXPORT_FORMATS},
    )


@policy.rule("exports.job")
def export_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """Preparing your file, your file is ready, or we could not make it (with a retry).

    A file still being prepared whose task failed, ended or was removed without making it,
    or that has waited past the limit, is offered a retry; one whose task is queued again
    after its worker was lost says so.
    """
    job = _job(request, job_id)
    waiting = job.status in export_jobs.WAITING
    state = export_jobs.task_state(job) if waiting else None
    stuck = waiting and export_jobs.stuck(job, state=state)
    return render(
        request,
        "core/export.html",
        {
            "job": job,
            "format_name": EXPORT_FORMATS.get(job.fmt, (job.fmt.upper(),))[0],
            "waiting": waiting and not stuck,
            "stuck": stuck,
            "restarted": waiting and job.status == ExportJob.Status.RUNNING and state == "READY",
        },
    )


@policy.rule("exports.job")
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    """The finished file, to its owner while they may still make the same export."""
    job = _job(request, job_id)
    if job.status != ExportJob.Status.READY or not job.file:
        raise Http404("The file is not ready")
    export = export_registry.get(job.key)
    if not export_jobs.allowed(export, request.user, export_registry.query_of(job.params)):
        raise PermissionDenied("exports.job")  # the export's own page would refuse them now
    content_type = EXPORT_FORMATS.get(job.fmt, ("", "application/octet-stream"))[1]
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type
    )


@require_POST
@policy.rule("exports.job")
def export_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Make a failed, expired or stuck export again, with the same filters."""
    job = _job(request, job_id)
    if export_jobs.retry_export(job=job, actor=request.user):
        messages.success(request, "We are making your file again.")
    return redirect("core:export", job_id=job.pk)

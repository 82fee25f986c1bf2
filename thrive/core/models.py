"""Reference data shared by every app (the areas a council serves, beneficiary groups),
laid-out documents, the exports made in the background, and what the task workers keep:
their signs of life and the work done once."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from thrive.core.storage import private_storage


class Area(models.Model):
    """A part of a council's area (district, locality); ``county_wide`` covers all of it."""

    council = models.ForeignKey(
        "accounts.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="areas"
    )
    name = models.CharField(max_length=120)
    gss_code = models.CharField(
        "GSS code", max_length=9, blank=True, help_text="ONS code, for 360Giving locations"
    )
    county_wide = models.BooleanField(default=False)

    class Meta:
        ordering = ["-county_wide", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="area_unique_per_council")
        ]

    def __str__(self) -> str:
        return self.name


class BeneficiaryGroup(models.Model):
    """Who benefits: the Equality Act 2010 protected characteristics and other groups."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    protected_characteristic = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StoredDocument(models.Model):
    """A laid-out document (a PDF) kept under a digest of what it says.

    Every web process and the worker share it, so a document built in the background is
    served at once by whichever process is asked for it; a changed figure changes the
    digest, so a kept document is never out of date.
    """

    digest = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Document {self.digest[:12]}"


def _export_path(job: ExportJob, filename: str) -> str:
    return f"exports/{job.user_id}/{job.pk}-{filename}"


class ExportJob(models.Model):
    """An export too large to make while the page waits, made by the task worker.

    It records who asked, the export's key and the filters they chose (``params``, as the
    query string's lists), so the worker rebuilds the same rows as that person, checking
    again that they may; the file lives in private storage until ``expires_at``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Preparing"
        RUNNING = "running", "Preparing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    council = models.ForeignKey(
        "accounts.Council", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=80)
    params = models.JSONField(default=dict, blank=True)
    fmt = models.CharField("format", max_length=8)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(
        upload_to=_export_path, storage=private_storage, max_length=300, blank=True
    )
    filename = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # The task making the file (its result's id): a second run of the same task after its
    # worker was lost makes the file again; any other finds the job taken.
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # asked for, or last retried
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="export_job_user_recent")]

    def __str__(self) -> str:
        return f"Export {self.pk}: {self.title} ({self.fmt})"


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life, written every few seconds while it runs.

    A task still running under a worker not heard from for ``THRIVE_TASK_STALE_AFTER`` seconds
    is taken back by the other workers (``thrive.core.tasks``).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.host}"


class DoneOnce(models.Model):
    """Work a task must do only once, however often it runs (an email sent): its mark is
    written in the transaction that does the work (``thrive.core.tasks.run_once``)."""

    key = models.CharField(max_length=200, primary_key=True)
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key

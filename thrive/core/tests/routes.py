from typing import Any

from thrive.testing.routes import Expect, only, public, signed_in


def prepare(world: Any) -> None:
    """A large export the commissioner asked for, made in the background, and a failed one."""
    from django.test import override_settings

    from thrive.core import export_jobs, export_registry
    from thrive.core.models import ExportJob

    export_registry.register(
        "core.sample", action="exports.list", build="thrive.core.tests.export_samples:sample_table"
    )
    user = world.users["commissioner"]
    with override_settings(THRIVE_EXPORT_INLINE_ROWS=1):
        job = export_jobs.start_export(
            actor=user, key="core.sample", params={"rows": ["5"]}, fmt="csv", title="Sample", rows=5
        )
        export_jobs.build_export(job_id=job.pk)
    world.export_job = ExportJob.objects.get(pk=job.pk)
    world.failed_export_job = ExportJob.objects.create(
        user=user,
        council=user.council,
        key="core.sample",
        params={},
        fmt="xlsx",
        title="Sample",
        status=ExportJob.Status.FAILED,
        error="Something went wrong while the file was made.",
    )


def _job(world: Any) -> dict[str, int]:
    return {"job_id": world.export_job.pk}


ROUTES = {
    "core:home": public(),
    "core:healthz": public(),
    "core:accessibility": public(),
    "core:privacy": public(),
    "core:tasks": signed_in(),
    "core:exports": signed_in(),
    "core:export": only("commissioner", kwargs=_job),
    "core:export_download": only("commissioner", kwargs=_job),
    "core:export_retry": Expect(
        405, kwargs=lambda w: {"job_id": w.failed_export_job.pk}, post=("commissioner",)
    ),
}

__all__ = ["ROUTES", "Expect"]

from typing import Any

from django.apps import AppConfig
from django.contrib import admin
from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django_tasks.signals import task_finished, task_started


def create_cache_tables(using: str = "default", **kwargs: Any) -> None:
    """Create the database cache tables (the rate limits' counts) with every migrate."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "thrive.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # lazy: the policy loads the auth models, which exist only once the registry is ready
        from thrive.core import health, lookups, policy, rules, worklist  # noqa: F401 - rules registers itself

        lookups.register()

        post_migrate.connect(create_cache_tables, sender=self)
        user_logged_in.connect(worklist.count_on_sign_in, dispatch_uid="thrive-worklist-count")
        # The worker's sign of life for the health check, in the cache every process shares.
        task_started.connect(health.note_worker_alive, dispatch_uid="thrive-worker-started")
        task_finished.connect(health.note_worker_alive, dispatch_uid="thrive-worker-finished")

        # The admin site obeys the one policy: system administrators only.
        admin.site.has_permission = lambda request: policy.can(request.user, "admin.site")

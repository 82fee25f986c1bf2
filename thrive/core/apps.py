from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thrive.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib import admin

        from thrive.core import policy

        # The admin site obeys the one policy: system administrators only.
        admin.site.has_permission = lambda request: policy.can(request.user, "admin.site")

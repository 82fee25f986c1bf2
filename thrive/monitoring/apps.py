from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "thrive.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from thrive.monitoring import rules  # noqa: F401 - registers the app's policy rules

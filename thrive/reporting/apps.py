from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "thrive.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from thrive.reporting import rules  # noqa: F401 - registers the app's policy rules

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "thrive.assessment"
    label = "assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        from thrive.assessment import rules  # noqa: F401 - registers the app's policy rules

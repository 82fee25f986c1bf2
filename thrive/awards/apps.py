from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "thrive.awards"
    label = "awards"
    verbose_name = "Awards"

    def ready(self) -> None:
        from thrive.awards import rules  # noqa: F401 - registers the app's policy rules

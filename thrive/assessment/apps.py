from django.apps import AppConfig

from thrive.core import seeding


class AssessmentConfig(AppConfig):
    name = "thrive.assessment"
    label = "assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        seeding.register("thrive.assessment.seed", order=90)
        from thrive.assessment import navigation as items  # lazy: imports models
        from thrive.assessment import rules, worklist  # noqa: F401  # lazy: they import models
        from thrive.core import navigation  # lazy: reads the policy, which imports models

        for item in items.ITEMS:
            navigation.add(item)

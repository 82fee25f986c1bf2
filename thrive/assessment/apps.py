from django.apps import AppConfig

from thrive.core import seeding


class AssessmentConfig(AppConfig):
    name = "thrive.assessment"
    label = "assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        seeding.register("thrive.assessment.seed", order=90)
        from thrive.assessment import (
            rules,  # noqa: F401 - registers the app's policy rules
            worklist,  # noqa: F401 - registers the app's to-do items
        )
        from thrive.core import navigation
        from thrive.core.navigation import NavItem

        navigation.add(
            NavItem(
                "Assessment", "assessment:home", "assessment.home", 66, top=frozenset({"staff"})
            )
        )
        navigation.add(
            NavItem(
                "Standstill and delegated limits",
                "assessment:settings",
                "assessment.settings.manage",
                875,
                top=frozenset(),
                section="Running the service",
                description="The standstill period and each role's delegated limit",
            )
        )

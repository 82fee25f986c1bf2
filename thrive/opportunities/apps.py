from django.apps import AppConfig

from thrive.core import seeding


class OpportunitiesConfig(AppConfig):
    name = "thrive.opportunities"
    label = "opportunities"
    verbose_name = "Opportunities"

    def ready(self) -> None:
        seeding.register("thrive.opportunities.seed", order=70)
        from thrive.core import navigation
        from thrive.core.navigation import NavItem
        from thrive.opportunities import rules, worklist  # noqa: F401 - registers rules, to-dos

        navigation.add(
            NavItem(
                "Opportunities",
                "opportunities:list",
                "public",
                40,
                anonymous=True,
                top=frozenset({"anonymous", "provider"}),
                section="Opportunities and assessment",
                description="Open funding opportunities, as applicants see them",
            )
        )
        navigation.add(
            NavItem(
                "Run opportunities",
                "opportunities:manage",
                "opportunities.manage",
                45,
                top=frozenset({"staff"}),
            )
        )

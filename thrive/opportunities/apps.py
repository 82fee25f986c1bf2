from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "thrive.opportunities"
    label = "opportunities"
    verbose_name = "Opportunities"

    def ready(self) -> None:
        from thrive.core import navigation
        from thrive.core.navigation import NavItem

        navigation.add(NavItem("Opportunities", "opportunities:list", "public", 40, anonymous=True))
        navigation.add(
            NavItem("Run opportunities", "opportunities:manage", "opportunities.manage", 45)
        )

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "thrive.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from thrive.core import navigation
        from thrive.core.navigation import NavItem
        from thrive.reporting import rules  # noqa: F401 - registers the app's policy rules

        navigation.add(NavItem("Reports", "reporting:dashboard", "reporting.view", 860))
        navigation.add(NavItem("Guidance", "reporting:guidance", "reporting.guidance.view", 870))

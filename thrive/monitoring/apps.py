from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "thrive.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from thrive.awards.signals import award_activated
        from thrive.core import navigation
        from thrive.core.navigation import NavItem
        from thrive.monitoring import rules  # noqa: F401 - registers the app's policy rules
        from thrive.monitoring.services import on_award_activated

        award_activated.connect(on_award_activated, dispatch_uid="monitoring.plan_on_activation")
        navigation.add(NavItem("Monitoring", "monitoring:overview", "monitoring.staff", 70))
        navigation.add(
            NavItem("Monitoring returns", "monitoring:provider", "monitoring.provider", 72)
        )

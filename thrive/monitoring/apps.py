from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "thrive.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from thrive.awards.signals import award_activated, award_varied
        from thrive.core import navigation
        from thrive.core.navigation import NavItem
        from thrive.monitoring import (
            rules,  # noqa: F401 - registers the app's policy rules
            worklist,  # noqa: F401 - registers the app's to-do items
        )
        from thrive.monitoring.services import on_award_activated, on_award_varied

        award_activated.connect(on_award_activated, dispatch_uid="monitoring.plan_on_activation")
        award_varied.connect(on_award_varied, dispatch_uid="monitoring.replan_on_variation")
        navigation.add(
            NavItem(
                "Monitoring",
                "monitoring:overview",
                "monitoring.staff",
                70,
                top=frozenset({"staff"}),
            )
        )
        navigation.add(
            NavItem(
                "Monitoring returns",
                "monitoring:provider",
                "monitoring.provider",
                72,
                top=frozenset({"provider"}),
            )
        )

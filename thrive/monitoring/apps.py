from typing import Any

from django.apps import AppConfig


# The receivers load the monitoring services when an award first changes, not at start-up,
# which keeps every ``thrive`` command quick to start.
def _plan_on_activation(sender: Any, **kwargs: Any) -> None:
    from thrive.monitoring.services import on_award_activated

    on_award_activated(sender, **kwargs)


def _replan_on_variation(sender: Any, **kwargs: Any) -> None:
    from thrive.monitoring.services import on_award_varied

    on_award_varied(sender, **kwargs)


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

        award_activated.connect(_plan_on_activation, dispatch_uid="monitoring.plan_on_activation")
        award_varied.connect(_replan_on_variation, dispatch_uid="monitoring.replan_on_variation")
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

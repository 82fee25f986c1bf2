from django.apps import AppConfig

from thrive.core import export_registry, seeding


class MonitoringConfig(AppConfig):
    name = "thrive.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        seeding.register("thrive.monitoring.seed", order=100)
        export_registry.register(
            "monitoring.returns",
            action="monitoring.staff",
            build="thrive.monitoring.views.plans:returns_table",
        )
        # lazy: these modules load models, which exist only once the app registry is ready
        from thrive.core import navigation

        # lazy: as above; each registers itself (rules, to-do items, award receivers)
        from thrive.monitoring import (
            receivers,  # noqa: F401 - builds plans as awards become active or are varied
            rules,  # noqa: F401 - registers the app's policy rules
            worklist,  # noqa: F401 - registers the app's to-do items
        )

        navigation.add(
            navigation.NavItem(
                "Monitoring",
                "monitoring:overview",
                "monitoring.staff",
                70,
                top=frozenset({"staff"}),
            )
        )
        navigation.add(
            navigation.NavItem(
                "Monitoring returns",
                "monitoring:provider",
                "monitoring.provider",
                72,
                top=frozenset({"provider"}),
            )
        )

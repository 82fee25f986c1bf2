from django.apps import AppConfig

from thrive.core import seeding


class ReportingConfig(AppConfig):
    name = "thrive.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        seeding.register("thrive.reporting.seed", order=110)
        # lazy: these load models, which wait for the app registry to be ready
        from thrive.core import navigation
        from thrive.core.navigation import NavItem  # lazy: app registry

        # lazy: app registry
        from thrive.reporting import (
            documents,
            receivers,
            rules,  # noqa: F401 - registers the app's policy rules
        )

        documents.connect()
        receivers.connect()

        navigation.add(
            NavItem(
                "Reports",
                "reporting:dashboard",
                "reporting.view",
                860,
                top=frozenset({"strategy_group", "council_admin", "finance_officer"}),
                section="Strategy and money",
                description="Investment, outcomes, indicators and the annual report",
            )
        )
        navigation.add(
            NavItem(
                "Guidance",
                "reporting:guidance",
                "reporting.guidance.view",
                870,
                top=frozenset(),
                section="Running the service",
                description="How the service applies the strategy, step by step",
            )
        )

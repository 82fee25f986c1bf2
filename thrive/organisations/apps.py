from django.apps import AppConfig

from thrive.core import export_registry, seeding
from thrive.strategy import extensions as strategy_extensions


class OrganisationsConfig(AppConfig):
    name = "thrive.organisations"
    label = "organisations"
    verbose_name = "Organisation register"

    def ready(self) -> None:
        seeding.register("thrive.organisations.seed", order=30)
        export_registry.register(
            "organisations.register",
            action="organisations.register.view",
            build="thrive.organisations.views.register:register_table",
        )
        # lazy: navigation reads the policy, which imports models: ready only now
        from thrive.core import navigation

        # lazy: as above
        from thrive.core.navigation import NavItem

        # lazy: registers the app's to-do items, which import models
        from thrive.organisations import rules, worklist  # noqa: F401

        # the survey's answers and results by size keep the strategy's addresses
        strategy_extensions.url_modules.add(
            "thrive.organisations.survey.urls", key="organisations.survey"
        )

        navigation.add(
            NavItem(
                "Organisations",
                "organisations:list",
                "organisations.register.view",
                order=20,
                top=frozenset(),
                section="Organisations and the sector",
                description="The register of Third Sector organisations",
            )
        )
        navigation.add(
            NavItem(
                "Provider directory",
                "directory:list",
                "public",
                order=80,
                anonymous=True,
                top=frozenset({"anonymous"}),
                section="Organisations and the sector",
                description="Organisations that have chosen to be listed publicly",
            )
        )
        navigation.add(
            NavItem(
                "Register your organisation",
                "organisations:register",
                "organisations.self_service",
                order=85,
                anonymous=True,
                top=frozenset({"anonymous"}),
                section="Organisations and the sector",
                description="Register another organisation, or ask to join one",
            )
        )

from django.apps import AppConfig

from thrive.core import seeding


class OpendataConfig(AppConfig):
    name = "thrive.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        seeding.register("thrive.opendata.seed", order=120)
        # lazy: these load models, which wait for the app registry to be ready
        from thrive.core import navigation, policy

        # lazy: app registry
        from thrive.opendata import (  # noqa: F401 - registers policy rules, checks, to-dos
            checks,
            counts,
            rules,
            totals,
            worklist,
        )

        counts.connect()
        totals.connect()

        # lazy: app registry
        from thrive.opendata.views_market import register_market_page

        register_market_page()

        # lazy: app registry
        from thrive.opendata.organisation_parts import register_organisation_parts

        register_organisation_parts()

        navigation.add(
            navigation.NavItem(
                "Open data",
                "opendata:index",
                policy.PUBLIC,
                order=800,
                anonymous=True,
                top=frozenset({"anonymous"}),
                section="Organisations and the sector",
                description="The grants and contracts data the council publishes",
            )
        )
        navigation.add(
            navigation.NavItem(
                "Imports of other publishers' data",
                "opendata:import_runs",
                "opendata.imports.view",
                order=805,
                top=frozenset(),
                section="Organisations and the sector",
                description="What each import of grants, contracts or register files brought "
                "in, and the problems it found",
            )
        )

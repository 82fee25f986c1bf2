from django.apps import AppConfig

from thrive.core import seeding


class ApplicationsConfig(AppConfig):
    name = "thrive.applications"
    label = "applications"
    verbose_name = "Applications"

    def ready(self) -> None:
        seeding.register("thrive.applications.seed", order=80)
        from thrive.applications import rules, worklist  # noqa: F401 - registers rules, to-dos
        from thrive.applications.audit_withholding import hidden_entries, sealed_entries
        from thrive.audit import withholding
        from thrive.core import navigation
        from thrive.core.navigation import NavItem

        # lazy: it loads models, ready only now
        from thrive.applications.organisation_parts import register_organisation_parts

        register_organisation_parts()

        navigation.add(
            NavItem(
                "Your applications",
                "applications:home",
                "applications.provider",
                50,
                top=frozenset({"provider"}),
            )
        )
        navigation.add(
            NavItem(
                "Bid openings",
                "applications:openings",
                "applications.openings.view",
                60,
                top=frozenset({"procurement_officer"}),
                section="Opportunities and assessment",
                description="Sealed tenders and quotations, and their recorded openings",
            )
        )
        navigation.add(
            NavItem(
                "Small grants settings",
                "applications:small_grants_settings",
                "applications.small_grants.configure",
                870,
                top=frozenset(),
                section="Running the service",
                description="The small grants scheme's limit and purposes",
            )
        )
        withholding.register(hider=hidden_entries, finder=sealed_entries)

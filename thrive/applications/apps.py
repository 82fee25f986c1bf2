from django.apps import AppConfig

from thrive.core import seeding


class ApplicationsConfig(AppConfig):
    name = "thrive.applications"
    label = "applications"
    verbose_name = "Applications"

    def ready(self) -> None:
        seeding.register("thrive.applications.seed", order=80)
        # lazy: they load models, ready only now; rules registers the app's policy rules
        from thrive.applications import rules, wiring  # noqa: F401

        wiring.register()

        # lazy: it loads models, ready only now
        from thrive.applications.organisation_parts import register_organisation_parts

        register_organisation_parts()

from django.apps import AppConfig

from thrive.core import seeding


class OpportunitiesConfig(AppConfig):
    name = "thrive.opportunities"
    label = "opportunities"
    verbose_name = "Opportunities"

    def ready(self) -> None:
        seeding.register("thrive.opportunities.seed", order=70)
        # lazy: they load models, ready only now; rules registers the app's policy rules
        from thrive.opportunities import rules, wiring  # noqa: F401

        wiring.register()

from django.apps import AppConfig

from thrive.core import seeding


class CommissioningConfig(AppConfig):
    name = "thrive.commissioning"
    label = "commissioning"
    verbose_name = "Needs and commissioning intentions"

    def ready(self) -> None:
        seeding.register("thrive.commissioning.seed", order=60)
        from thrive.commissioning import navigation as items  # lazy: imports models
        from thrive.commissioning import rules, worklist  # noqa: F401  # lazy: they import models
        from thrive.core import navigation  # lazy: reads the policy, which imports models

        for item in items.ITEMS:
            navigation.add(item)

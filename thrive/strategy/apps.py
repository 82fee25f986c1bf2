from django.apps import AppConfig

from thrive.core import seeding


class StrategyConfig(AppConfig):
    name = "thrive.strategy"
    label = "strategy"
    verbose_name = "Outcomes, directorates and budgets"

    def ready(self) -> None:
        seeding.register("thrive.strategy.seed", order=20)
        seeding.register("thrive.strategy.survey_seed", order=35)
        # lazy: navigation reads the policy, which imports models: ready only now
        from thrive.core import navigation

        # lazy: the items, the plan and survey rules and the to-do items import models
        from thrive.strategy import navigation as items

        # lazy: registering the rules and to-do items needs the models loaded
        from thrive.strategy import rules, worklist  # noqa: F401

        for item in items.ITEMS:
            navigation.add(item)

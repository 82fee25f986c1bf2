from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "thrive.strategy"
    label = "strategy"
    verbose_name = "Outcomes, directorates and budgets"

    def ready(self) -> None:
        from thrive.core import navigation
        from thrive.core.navigation import NavItem

        navigation.add(NavItem("Outcomes", "strategy:outcomes", "strategy.framework.view", 300))
        navigation.add(NavItem("Funding pots", "strategy:pots", "strategy.pots.view", 310))

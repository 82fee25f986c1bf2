from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "thrive.strategy"
    label = "strategy"
    verbose_name = "Outcomes, directorates and budgets"

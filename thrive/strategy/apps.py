from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "thrive.strategy"
    label = "strategy"
    verbose_name = "Outcomes, directorates and budgets"

    def ready(self) -> None:
        from thrive.core import navigation
        from thrive.core.navigation import NavItem
        from thrive.strategy import (
            rules,  # noqa: F401 - registers the plan and survey rules
            worklist,  # noqa: F401 - registers the app's to-do items
        )

        navigation.add(
            NavItem(
                "Outcomes",
                "strategy:outcomes",
                "strategy.framework.view",
                300,
                top=frozenset(),
                section="Strategy and money",
                description="The outcomes framework every pound is traced to",
            )
        )
        navigation.add(
            NavItem(
                "Funding pots",
                "strategy:pots",
                "strategy.pots.view",
                310,
                top=frozenset({"finance_officer"}),
                section="Strategy and money",
                description="Budgets by year and what is committed against them",
            )
        )
        navigation.add(
            NavItem(
                "Action plan",
                "strategy:action_plan",
                "strategy.plan.view",
                320,
                top=frozenset(),
                section="Strategy and money",
                description="The annual action plan and who owns each action",
            )
        )
        navigation.add(
            NavItem(
                "NI 7 survey",
                "strategy:surveys",
                "strategy.survey.results",
                330,
                top=frozenset(),
                section="Strategy and money",
                description="The yearly sector survey and its results",
            )
        )
        navigation.add(
            NavItem(
                "Sector survey",
                "strategy:sector_survey",
                "strategy.survey.take",
                330,
                top=frozenset(),
                section="Organisations and the sector",
                description="Tell the council how it supports your organisation",
            )
        )

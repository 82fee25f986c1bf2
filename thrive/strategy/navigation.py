"""The strategy's entries in the service's navigation."""

from __future__ import annotations

from thrive.core.navigation import NavItem

ITEMS = [
    NavItem(
        "Outcomes",
        "strategy:outcomes",
        "strategy.framework.view",
        300,
        top=frozenset(),
        section="Strategy and money",
        description="The outcomes framework every pound is traced to",
    ),
    NavItem(
        "Funding pots",
        "strategy:pots",
        "strategy.pots.view",
        310,
        top=frozenset({"finance_officer"}),
        section="Strategy and money",
        description="Budgets by year and what is committed against them",
    ),
    NavItem(
        "Action plan",
        "strategy:action_plan",
        "strategy.plan.view",
        320,
        top=frozenset(),
        section="Strategy and money",
        description="The annual action plan and who owns each action",
    ),
    NavItem(
        "NI 7 survey",
        "strategy:surveys",
        "strategy.survey.results",
        330,
        top=frozenset(),
        section="Strategy and money",
        description="The yearly sector survey and its results",
    ),
    NavItem(
        "Sector survey",
        "strategy:sector_survey",
        "strategy.survey.take",
        330,
        top=frozenset(),
        section="Organisations and the sector",
        description="Tell the council how it supports your organisation",
    ),
]

"""Each app registers its seeder from its AppConfig; they run in the order each builds on."""

from __future__ import annotations

from thrive.core import seeding


def test_the_apps_seeders_run_in_the_order_they_build_on_each_other() -> None:
    assert seeding.seeders() == [
        "thrive.accounts.seed",
        "thrive.strategy.seed",
        "thrive.organisations.seed",
        "thrive.strategy.survey_seed",  # the NI 7 survey's answers come from organisations
        "thrive.awards.seed",
        "thrive.commissioning.seed",
        "thrive.opportunities.seed",
        "thrive.applications.seed",
        "thrive.assessment.seed",
        "thrive.monitoring.seed",
        "thrive.reporting.seed",
        "thrive.opendata.seed",  # other funders' grants and the charity register
    ]

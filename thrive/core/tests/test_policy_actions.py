"""Each app registers its own rules, and together they cover exactly the actions asked for."""

from __future__ import annotations

from thrive.core import policy
from thrive.core.tests.test_routes import all_routes

# Actions no route is guarded by: asked by ``can``/``require`` in a view, a service or the
# admin site once the object is known, or to choose a home page.
ASKED_ONLY_IN_CODE = {
    "admin.site",
    "assessment.decision.approve",
    "assessment.decision.approver",
    "awards.respond",
    "opendata.external_grants.view",
    "provider.home",
    "staff.home",
}


def test_every_route_action_has_a_registered_rule() -> None:
    missing = {view.policy_action for _, view in all_routes()} - set(policy.actions())
    assert sorted(missing) == []


def test_the_registered_actions_are_the_routes_and_those_asked_in_code() -> None:
    routed = {view.policy_action for _, view in all_routes()}
    assert sorted(set(policy.actions()) - routed) == sorted(ASKED_ONLY_IN_CODE)


def test_acting_for_an_organisation_is_declared_by_the_rules_that_need_it() -> None:
    assert sorted(policy.ACTS_FOR_ORGANISATION) == [
        "applications.application.edit",
        "applications.provider",
        "awards.respond",
        "commissioning.respond",
        "monitoring.return.edit",
        "opportunities.provider",
        "organisation.members.invite",
        "organisation.members.manage",
        "organisations.join.decide",
        "organisations.organisation.edit",
        "organisations.self_service",
        "reporting.feedback.give",
        "strategy.survey.answer",
    ]

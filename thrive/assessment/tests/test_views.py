"""Assessment pages: declarations first, conflict page, blind scoring, moderation, decisions."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.models import ApplicationStatus
from thrive.assessment.models import ConflictDeclaration, Decision, DecisionStatus, Score
from thrive.assessment.services import panels, scores
from thrive.assessment.tests.factories import make_round

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _score_data(rnd, quality="4", comment="Solid"):
    return {
        f"criterion_{rnd.quality.pk}": quality,
        f"comment_{rnd.quality.pk}": comment,
        f"criterion_{rnd.social.pk}": "na",
        f"comment_{rnd.social.pk}": "Not asked for",
        f"criterion_{rnd.gate.pk}": "pass",
        f"comment_{rnd.gate.pk}": "Policy seen",
    }


def test_an_assessor_must_declare_before_seeing_an_application() -> None:
    rnd = make_round()
    client = _client(rnd.members[0].user)
    response = client.get(f"/assessment/applications/{rnd.applications[0].pk}/score/")
    assert response.status_code == 302
    assert response.url == f"/assessment/opportunities/{rnd.opportunity.pk}/declare/"
    panel_page = client.get(f"/assessment/opportunities/{rnd.opportunity.pk}/").content.decode()
    assert rnd.applications[0].organisation.name not in panel_page


def test_declaring_a_conflict_blocks_that_application_with_a_clear_403_page() -> None:
    rnd = make_round()
    member = rnd.members[0]
    client = _client(member.user)
    blocked = rnd.applications[0]
    bad = client.post(
        f"/assessment/opportunities/{rnd.opportunity.pk}/declare/", {"has_conflict": "yes"}
    )
    assert bad.status_code == 200
    assert "Select the organisations you have a conflict of interest with" in bad.content.decode()
    assert not ConflictDeclaration.objects.exists()
    response = client.post(
        f"/assessment/opportunities/{rnd.opportunity.pk}/declare/",
        {"has_conflict": "yes", "organisations": [blocked.organisation.pk], "note": "Trustee"},
    )
    assert response.status_code == 302
    page = client.get(f"/assessment/applications/{blocked.pk}/score/")
    assert page.status_code == 403
    assert "You declared a conflict of interest" in page.content.decode()
    assert blocked.organisation.name in page.content.decode()
    assert (
        client.get(f"/assessment/applications/{rnd.applications[1].pk}/score/").status_code == 200
    )


def test_scoring_is_blind_until_moderation_opens() -> None:
    rnd = make_round()
    first, second = rnd.members
    for member in rnd.members:
        panels.declare_conflict(member=member, has_conflict=False)
    application = rnd.applications[0]
    url = f"/assessment/applications/{application.pk}/score/"
    saved = _client(first.user).post(url, _score_data(rnd, comment="Secret remark from first"))
    assert saved.status_code == 302
    assert Score.objects.filter(assessor=first.user).count() == 3
    page = _client(second.user).get(url).content.decode()
    assert "Secret remark from first" not in page
    moderate = _client(second.user).get(f"/assessment/applications/{application.pk}/moderate/")
    assert "Moderation has not opened" in moderate.content.decode()
    results = _client(second.user).get(f"/assessment/opportunities/{rnd.opportunity.pk}/results/")
    assert results.status_code == 403


def test_bad_scores_show_the_error_summary_and_save_nothing() -> None:
    rnd = make_round()
    member = rnd.members[0]
    panels.declare_conflict(member=member, has_conflict=False)
    data = _score_data(rnd, comment="")
    response = _client(member.user).post(
        f"/assessment/applications/{rnd.applications[0].pk}/score/", data
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "Enter a comment for Quality" in body
    assert not Score.objects.exists()


def _moderate_both(rnd) -> None:
    for member in rnd.members:
        panels.declare_conflict(member=member, has_conflict=False)
    given = [
        scores.Given(criterion=rnd.quality, score=4, comment="x"),
        scores.Given(criterion=rnd.social, score=3, comment="x"),
        scores.Given(criterion=rnd.gate, passed=True, comment="x"),
    ]
    for application in rnd.applications:
        scores.record_scores(member=rnd.members[0], application=application, given=given)
    scores.open_moderation(panel=rnd.members[0].panel, actor=rnd.runner)
    for application in rnd.applications:
        scores.moderate(application=application, actor=rnd.runner, agreed=given)


def test_moderation_page_shows_every_score_and_mean_and_needs_a_reason() -> None:
    rnd = make_round()
    for member in rnd.members:
        panels.declare_conflict(member=member, has_conflict=False)
    application = rnd.applications[0]
    for member, q in zip(rnd.members, ("3", "4"), strict=True):
        _client(member.user).post(
            f"/assessment/applications/{application.pk}/score/", _score_data(rnd, quality=q)
        )
    for other in rnd.applications[1:]:
        _client(rnd.members[0].user).post(
            f"/assessment/applications/{other.pk}/score/", _score_data(rnd)
        )
    client = _client(rnd.runner)
    assert (
        client.post(f"/assessment/opportunities/{rnd.opportunity.pk}/moderation/").status_code
        == 302
    )
    url = f"/assessment/applications/{application.pk}/moderate/"
    page = client.get(url).content.decode()
    assert "3.50" in page
    data = _score_data(rnd, quality="4", comment="")
    data[f"comment_{rnd.social.pk}"] = ""
    data[f"comment_{rnd.gate.pk}"] = ""
    refused = client.post(url, data)
    assert "differs from the assessors" in refused.content.decode()
    data[f"comment_{rnd.quality.pk}"] = "Agreed the stronger reading of the evidence"
    assert client.post(url, data).status_code == 302


def test_results_page_states_the_tie_rule_and_exports(django_assert_max_num_queries) -> None:
    rnd = make_round()
    _moderate_both(rnd)
    client = _client(rnd.runner)
    with django_assert_max_num_queries(40):
        page = client.get(f"/assessment/opportunities/{rnd.opportunity.pk}/results/")
    body = page.content.decode()
    assert "the higher quality score ranks first" in body
    assert "the earlier submission ranks first" in body
    export = client.get(
        f"/assessment/opportunities/{rnd.opportunity.pk}/results/export/?format=csv"
    )
    assert export["Content-Type"].startswith("text/csv")
    assert rnd.applications[0].reference in export.content.decode("utf-8-sig")


def test_recommend_then_over_limit_approval_shows_a_clear_error_and_changes_nothing() -> None:
    rnd = make_round()
    _moderate_both(rnd)
    client = _client(rnd.runner)
    response = client.post(
        f"/assessment/opportunities/{rnd.opportunity.pk}/recommend/",
        {
            "applications": [rnd.applications[1].pk],
            "start_date": "2027-04-01",
            "end_date": "2030-03-31",
            "reason": "Highest weighted total",
        },
    )
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    finance = staff_with_role(Role.FINANCE_OFFICER, council=rnd.opportunity.council)
    from thrive.assessment.models import DelegatedLimit

    DelegatedLimit.objects.create(
        council=rnd.opportunity.council, role=Role.FINANCE_OFFICER, limit_pence=100
    )
    page = _client(finance).post(f"/assessment/decisions/{decision.pk}/", {"decision": "approve"})
    assert page.status_code == 200
    assert "more than your delegated limit of £1.00" in page.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECOMMENDED


def test_unsuccessful_contract_bidder_sees_scores_against_the_successful_one() -> None:
    from thrive.applications.tests.factories import BidOpeningFactory
    from thrive.assessment.services import decisions
    from thrive.opportunities.models import OpportunityKind

    rnd = make_round(kind=OpportunityKind.TENDER)
    BidOpeningFactory(opportunity=rnd.opportunity, opened_by=rnd.runner)
    _moderate_both(rnd)
    decision = decisions.recommend(
        opportunity=rnd.opportunity,
        lot=None,
        applications=[rnd.applications[1]],
        pot=None,
        start_date=date(2027, 4, 1),
        end_date=date(2030, 3, 31),
        reason="Best value",
        actor=rnd.runner,
    )
    decisions.approve(
        decision=decision,
        actor=staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council),
    )
    loser = rnd.applications[0]
    loser.refresh_from_db()
    assert loser.status == ApplicationStatus.UNSUCCESSFUL
    provider = MembershipFactory(organisation=loser.organisation).user
    page = _client(provider).get(f"/assessment/applications/{loser.pk}/feedback/").content.decode()
    assert "unsuccessful" in page
    assert f"Successful: {rnd.applications[1].organisation.name}" in page
    outsider = MembershipFactory().user
    assert (
        _client(outsider).get(f"/assessment/applications/{loser.pk}/feedback/").status_code == 403
    )


def test_council_admin_changes_limits_and_standstill_with_errors_shown() -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN)
    client = _client(admin)
    page = client.get("/assessment/settings/")
    assert "Standstill and delegated limits" in page.content.decode()
    bad = client.post("/assessment/settings/", {"standstill_days": "200"})
    assert "Enter a standstill period of 0 to 90 days" in bad.content.decode()
    good = {
        "standstill_days": "14",
        "limit_commissioner": "50000",
        "limit_procurement_officer": "250000",
        "limit_finance_officer": "0",
        "limit_strategy_group": "1000000",
    }
    assert client.post("/assessment/settings/", good).status_code == 302
    from thrive.assessment import selectors

    assert selectors.standstill_days(admin.council) == 14
    assert selectors.limits_for_council(admin.council)[Role.COMMISSIONER] == 50_000_00


def test_home_and_panel_pages_list_without_a_query_per_row(django_assert_max_num_queries) -> None:
    rnd = make_round(bids=(10_000_00, 20_000_00, 30_000_00, 40_000_00))
    member = rnd.members[0]
    panels.declare_conflict(member=member, has_conflict=False)
    client = _client(member.user)
    with django_assert_max_num_queries(20):
        home = client.get("/assessment/")
    assert rnd.opportunity.reference in home.content.decode()
    with django_assert_max_num_queries(25):
        page = client.get(f"/assessment/opportunities/{rnd.opportunity.pk}/")
    assert all(a.reference in page.content.decode() for a in rnd.applications)


def test_runners_reach_the_panel_from_the_opportunity() -> None:
    rnd = make_round()
    page = _client(rnd.runner).get(f"/opportunities/manage/{rnd.opportunity.pk}/")
    assert f"/assessment/opportunities/{rnd.opportunity.pk}/" in page.content.decode()


def test_assessors_see_the_track_record_as_risk_information() -> None:
    rnd = make_round()
    member = rnd.members[0]
    panels.declare_conflict(member=member, has_conflict=False)
    page = _client(member.user).get(f"/assessment/applications/{rnd.applications[0].pk}/score/")
    body = page.content.decode()
    assert "Risk information: track record" in body
    assert "No monitoring record with the council yet." in body


def test_the_runner_takes_an_assessor_who_has_not_declared_off_the_panel() -> None:
    rnd = make_round()
    member = rnd.members[0]
    runner = _client(rnd.runner)
    panel_url = f"/assessment/opportunities/{rnd.opportunity.pk}/"
    url = f"{panel_url}members/{member.pk}/remove/"
    assert url in runner.get(panel_url).text
    empty = runner.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "Enter why the assessor is taken off the panel" in empty.text
    assert member.panel.members.filter(pk=member.pk).exists()
    done = runner.post(url, {"reason": "Added by mistake"})
    assert done.status_code == 302
    assert not member.panel.members.filter(pk=member.pk).exists()
    assert url not in runner.get(panel_url).text


def test_settings_are_the_users_own_councils_and_a_system_admin_chooses_one() -> None:
    from thrive.accounts.tests.factories import CouncilFactory

    admin = staff_with_role(Role.COUNCIL_ADMIN)
    other = CouncilFactory(name="Eastshire County Council", slug="eastshire")
    page = _client(admin).get(f"/assessment/settings/?council={other.pk}")
    assert admin.council.name in page.content.decode()
    assert other.name not in page.content.decode()

    system_admin = staff_with_role(Role.SYSTEM_ADMIN)
    client = _client(system_admin)
    assert other.name in client.get(f"/assessment/settings/?council={other.pk}").content.decode()
    good = {
        "standstill_days": "21",
        "limit_commissioner": "1",
        "limit_procurement_officer": "2",
        "limit_finance_officer": "0",
        "limit_strategy_group": "3",
    }
    response = client.post(f"/assessment/settings/?council={other.pk}", good)
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/settings/?council={other.pk}"
    from thrive.assessment import selectors

    assert selectors.standstill_days(other) == 21
    assert selectors.standstill_days(admin.council) == 10

"""Assessment pages offer each officer only the actions they may take, and say where the panel
stands: who may approve, who is already on the panel, what is scored, who has not finished."""

from __future__ import annotations

from html import escape

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.assessment.models import DecisionStatus, DelegatedLimit
from thrive.assessment.services import decisions, panels, scores
from thrive.assessment.tests.factories import PanelMemberFactory, make_round
from thrive.assessment.tests.test_services import _moderated_round, _recommend
from thrive.assessment.tests.test_views import _client, _moderate_both, _score_data

pytestmark = pytest.mark.django_db

DECIDE = "Record the decision"


def _decision_page(user, decision) -> str:
    response = _client(user).get(f"/assessment/decisions/{decision.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_recommender_is_not_offered_the_approval_form_and_is_told_why() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    page = _decision_page(rnd.runner, decision)
    assert DECIDE not in page
    assert "You cannot approve your own recommendation" in page


def test_a_refused_approver_who_posts_anyway_is_told_why_and_nothing_changes() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    response = _client(rnd.runner).post(
        f"/assessment/decisions/{decision.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 200
    summary = response.content.decode().split("govuk-error-summary__list")[1]
    assert 'href="#approval-refusal"' in summary
    assert "You cannot approve your own recommendation" in summary
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECOMMENDED


def test_a_panel_member_and_an_officer_over_their_limit_see_no_approval_form() -> None:
    rnd = _moderated_round()
    council = rnd.opportunity.council
    on_panel = staff_with_role(Role.COMMISSIONER, council=council)
    PanelMemberFactory(panel=rnd.members[0].panel, user=on_panel)
    decision = _recommend(rnd)
    page = _decision_page(on_panel, decision)
    assert DECIDE not in page
    assert "A member of the assessment panel cannot approve" in page
    DelegatedLimit.objects.create(council=council, role=Role.FINANCE_OFFICER, limit_pence=100)
    page = _decision_page(staff_with_role(Role.FINANCE_OFFICER, council=council), decision)
    assert DECIDE not in page
    assert "more than your delegated limit of £1.00" in page


def test_an_approver_within_their_limit_is_offered_the_form_until_it_is_decided() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council)
    assert DECIDE in _decision_page(strategy, decision)
    decisions.approve(decision=decision, actor=strategy)
    page = _decision_page(strategy, decision)
    assert DECIDE not in page
    assert "You cannot" not in page


def test_a_reader_who_approves_nothing_sees_neither_form_nor_refusal() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    admin = staff_with_role(Role.COUNCIL_ADMIN, council=rnd.opportunity.council)
    page = _decision_page(admin, decision)
    assert DECIDE not in page
    assert 'id="approval-refusal"' not in page
    assert _client(admin).post(f"/assessment/decisions/{decision.pk}/", {}).status_code == 403


def test_the_add_assessor_list_leaves_out_those_already_on_the_panel() -> None:
    rnd = make_round()
    newcomer = staff_with_role(Role.ASSESSOR, council=rnd.opportunity.council)
    page = (
        _client(rnd.runner)
        .get(f"/assessment/opportunities/{rnd.opportunity.pk}/members/add/")
        .content.decode()
    )
    assert f'value="{newcomer.pk}"' in page
    for member in rnd.members:
        assert f'value="{member.user.pk}"' not in page


def test_an_assessor_row_says_scored_and_change_scores_once_scored() -> None:
    rnd = make_round()
    member = rnd.members[0]
    panels.declare_conflict(member=member, has_conflict=False)
    client = _client(member.user)
    scored, unscored = rnd.applications
    client.post(f"/assessment/applications/{scored.pk}/score/", _score_data(rnd))
    page = client.get(f"/assessment/opportunities/{rnd.opportunity.pk}/").content.decode()
    row = page.split(f'<td class="govuk-table__cell">{scored.reference}</td>')[1].split("</tr>")[0]
    assert "Scored" in row
    assert "Change scores" in row
    cell = f'<td class="govuk-table__cell">{unscored.reference}</td>'
    other = page.split(cell)[1].split("</tr>")[0]
    assert ">Score<" in other
    assert "Change scores" not in other


def test_opening_moderation_lists_who_has_not_declared_or_scored_first() -> None:
    rnd = make_round()
    finished, late = rnd.members
    # Real names carry apostrophes, which the page escapes.
    finished.user.first_name, finished.user.last_name = "Siobhán", "O'Neill"
    finished.user.save(update_fields=["first_name", "last_name"])
    panels.declare_conflict(member=finished, has_conflict=False)
    given = [
        scores.Given(criterion=rnd.quality, score=4, comment="x"),
        scores.Given(criterion=rnd.social, score=3, comment="x"),
        scores.Given(criterion=rnd.gate, passed=True, comment="x"),
    ]
    scores.record_scores(member=finished, application=rnd.applications[0], given=given)
    page = (
        _client(rnd.runner)
        .get(f"/assessment/opportunities/{rnd.opportunity.pk}/moderation/")
        .content.decode()
    )
    table = page.split('id="not-finished"')[1].split("</table>")[0]
    assert "govuk-warning-text" in page
    assert escape(str(late.user)) in table
    assert "Has not declared conflicts of interest" in table
    finished_row = table.split(escape(str(finished.user)))[1].split("</tr>")[0]
    assert f"Has not scored: {rnd.applications[1].reference}" in finished_row
    assert rnd.applications[0].reference not in finished_row
    assert "Open moderation</button>" in page


def test_readers_are_not_offered_moderation_they_may_not_do() -> None:
    rnd = make_round()
    _moderate_both(rnd)
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council)
    for url in (
        f"/assessment/opportunities/{rnd.opportunity.pk}/",
        f"/assessment/opportunities/{rnd.opportunity.pk}/results/",
    ):
        assert "/moderate/" not in _client(strategy).get(url).content.decode()
        assert "/moderate/" in _client(rnd.runner).get(url).content.decode()


def test_feedback_says_the_place_in_plain_english() -> None:
    rnd = _moderated_round()
    decision = _recommend(rnd)
    decisions.approve(
        decision=decision,
        actor=staff_with_role(Role.STRATEGY_GROUP, council=rnd.opportunity.council),
    )
    loser = rnd.applications[1]
    provider = MembershipFactory(organisation=loser.organisation).user
    page = _client(provider).get(f"/assessment/applications/{loser.pk}/feedback/")
    assert "It ranked 2nd of 2." in page.content.decode()

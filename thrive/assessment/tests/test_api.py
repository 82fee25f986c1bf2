"""Assessment API: assignments, declarations, scores with documented errors, results."""

from __future__ import annotations

import pytest
from django.test import Client

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.assessment.models import Score
from thrive.assessment.services import panels, scores
from thrive.assessment.tests.factories import make_round

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _post(user, url, body):
    return Client().post(url, body, content_type="application/json", headers=_bearer(user))


def test_anonymous_requests_get_401() -> None:
    rnd = make_round()
    client = Client()
    assert client.get("/api/v1/assessment/assignments").status_code == 401
    url = f"/api/v1/assessment/panels/{rnd.opportunity.pk}/results"
    assert client.get(url).status_code == 401


def test_an_assessor_lists_assignments_declares_and_scores() -> None:
    rnd = make_round()
    assessor = rnd.members[0].user
    body = Client().get("/api/v1/assessment/assignments", headers=_bearer(assessor)).json()
    assert [(a["opportunity_id"], a["declared"]) for a in body] == [(rnd.opportunity.pk, False)]
    application = rnd.applications[0]
    url = f"/api/v1/assessment/applications/{application.pk}/scores"
    payload = {
        "scores": [
            {"criterion_id": rnd.quality.pk, "score": 4, "comment": "Good"},
            {"criterion_id": rnd.social.pk, "not_applicable": True, "comment": "Not asked"},
            {"criterion_id": rnd.gate.pk, "passed": True, "comment": "Seen"},
        ]
    }
    refused = _post(assessor, url, payload)
    assert refused.status_code == 400
    assert "Declare any conflicts" in refused.json()["message"]
    declared = _post(
        assessor,
        f"/api/v1/assessment/panels/{rnd.opportunity.pk}/declaration",
        {"has_conflict": False},
    )
    assert declared.status_code == 201
    response = _post(assessor, url, payload)
    assert response.status_code == 200, response.json()
    assert Score.objects.get(criterion=rnd.social).not_applicable is True


def test_score_errors_are_per_criterion_and_nothing_is_saved() -> None:
    rnd = make_round()
    member = rnd.members[0]
    panels.declare_conflict(member=member, has_conflict=False)
    url = f"/api/v1/assessment/applications/{rnd.applications[0].pk}/scores"
    response = _post(
        member.user,
        url,
        {
            "scores": [
                {"criterion_id": rnd.quality.pk, "score": 7, "comment": "x"},
                {"criterion_id": rnd.price.pk, "score": 3, "comment": "x"},
                {"criterion_id": rnd.social.pk, "score": 3},
            ]
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[f"criterion_{rnd.quality.pk}"] == ["Score Quality with one of 0, 1, 2, 3, 4, 5"]
    assert f"criterion_{rnd.price.pk}" in errors
    assert errors[f"comment_{rnd.social.pk}"] == ["Enter a comment for Social value"]
    assert not Score.objects.exists()


def test_a_conflicted_assessor_gets_403_and_an_outsider_403() -> None:
    rnd = make_round()
    member = rnd.members[0]
    application = rnd.applications[0]
    panels.declare_conflict(
        member=member, has_conflict=True, organisations=[application.organisation], note="Trustee"
    )
    url = f"/api/v1/assessment/applications/{application.pk}/scores"
    body = {"scores": [{"criterion_id": rnd.quality.pk, "score": 3, "comment": "x"}]}
    assert _post(member.user, url, body).status_code == 403
    outsider = staff_with_role(Role.ASSESSOR, council=rnd.opportunity.council)
    assert _post(outsider, url, body).status_code == 403


def test_moderation_results_are_for_staff_who_read_them() -> None:
    rnd = make_round()
    for member in rnd.members:
        panels.declare_conflict(member=member, has_conflict=False)
    url = f"/api/v1/assessment/panels/{rnd.opportunity.pk}/results"
    assessor = rnd.members[0].user
    assert Client().get(url, headers=_bearer(assessor)).status_code == 403
    body = Client().get(url, headers=_bearer(rnd.runner)).json()
    assert body["tie_rule"].startswith("Applications are ranked by weighted total")
    assert {r["application_id"] for r in body["results"]} == {a.pk for a in rnd.applications}
    for application in rnd.applications:
        scores.record_scores(
            member=rnd.members[0],
            application=application,
            given=[
                scores.Given(criterion=rnd.quality, score=3, comment="x"),
                scores.Given(criterion=rnd.social, score=3, comment="x"),
                scores.Given(criterion=rnd.gate, passed=True, comment="x"),
            ],
        )
    scores.open_moderation(panel=rnd.members[0].panel, actor=rnd.runner)
    assert Client().get(url, headers=_bearer(assessor)).status_code == 200


def test_the_runner_opens_moderation_through_the_api() -> None:
    from thrive.assessment.tests.test_services import _declare_all, _given

    rnd = make_round()
    url = f"/api/v1/assessment/panels/{rnd.opportunity.pk}/moderation"
    too_soon = _post(rnd.runner, url, {})
    assert too_soon.status_code == 400
    assert "needs scores before moderation" in too_soon.json()["message"]
    _declare_all(rnd)
    for application in rnd.applications:
        scores.record_scores(member=rnd.members[0], application=application, given=_given(rnd))
    assert _post(rnd.members[0].user, url, {}).status_code == 403
    opened = _post(rnd.runner, url, {})
    assert opened.status_code == 200
    assert opened.json()["moderation_open"] is True
    assert _post(rnd.runner, url, {}).json()["message"] == "Moderation has already opened"


def test_decisions_are_read_approved_and_sent_back_through_the_api(
    django_capture_on_commit_callbacks,
) -> None:
    from thrive.assessment.tests.test_services import (
        _moderated_round,
        _recommend,
        limit_finance_officers,
    )

    rnd = _moderated_round()
    decision = _recommend(rnd)
    council = rnd.opportunity.council
    limit_finance_officers(council, 10_000_00)
    base = f"/api/v1/assessment/decisions/{decision.pk}"
    finance = staff_with_role(Role.FINANCE_OFFICER, council=council)
    read = Client().get(base, headers=_bearer(finance)).json()
    assert (read["status"], read["amount_pence"]) == ("recommended", 50_000_00)
    assert [w["application_reference"] for w in read["winners"]] == [rnd.applications[0].reference]
    over = _post(finance, f"{base}/approve", {"note": "Fine"})
    assert over.status_code == 400
    assert "more than your delegated limit of £10,000.00" in over.json()["message"]
    own = _post(rnd.runner, f"{base}/approve", {})
    assert own.status_code == 400
    no_reason = _post(finance, f"{base}/send-back", {"note": ""})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"]["note"] == ["Enter why the recommendation is sent back"]
    assert Client().get(base).status_code == 401
    assert Client().get(f"{base}9999", headers=_bearer(finance)).status_code == 404
    strategy = staff_with_role(Role.STRATEGY_GROUP, council=council)
    with django_capture_on_commit_callbacks(execute=True):
        approved = _post(strategy, f"{base}/approve", {"note": "Within budget"})
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["status"] == "approved" and body["decision_note"] == "Within budget"
    assert body["winners"][0]["award_reference"]
    again = _post(strategy, f"{base}/send-back", {"note": "Too late"})
    assert again.status_code == 400

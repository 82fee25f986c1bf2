"""The monitoring API: a provider sees and submits its own returns only."""

from __future__ import annotations

import pytest

from thrive.accounts import services as account_services
from thrive.accounts.tests.factories import MembershipFactory
from thrive.monitoring.tests.factories import award_with_plan

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict[str, str]:
    _token, raw = account_services.create_api_token(user=user, name="Test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def provider():
    award, plan = award_with_plan()
    member = MembershipFactory(organisation=award.organisation).user
    award_with_plan()  # someone else's
    return award, plan, member


def test_anonymous_is_refused(client, provider) -> None:
    assert client.get("/api/v1/monitoring/plans").status_code == 401
    assert client.get("/api/v1/monitoring/returns").status_code == 401


def test_a_provider_lists_only_its_own_plans_and_returns(client, provider) -> None:
    _award, plan, member = provider
    body = client.get("/api/v1/monitoring/plans", **_bearer(member)).json()
    assert [p["id"] for p in body["results"]] == [plan.pk]
    assert body["results"][0]["tier_reason"] == plan.tier_reason
    returns = client.get("/api/v1/monitoring/returns?status=due", **_bearer(member)).json()
    assert returns["count"] == plan.returns.count()


def test_another_organisations_return_is_forbidden(client, provider) -> None:
    _award, _plan, member = provider
    _other_award, other_plan = award_with_plan()
    item = other_plan.returns.first()
    assert client.get(f"/api/v1/monitoring/returns/{item.pk}", **_bearer(member)).status_code == 403


def test_submit_reports_missing_answers_by_field_then_submits(client, provider) -> None:
    award, plan, member = provider
    item = plan.returns.first()
    url = f"/api/v1/monitoring/returns/{item.pk}/submit"
    response = client.post(url, {"spends": []}, content_type="application/json", **_bearer(member))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["spend"] == ["Enter the spend for every award this return covers"]
    assert "narrative" in errors
    target = award.targets.get()
    payload = {
        "spends": [{"award_id": award.pk, "spend_pence": 120000}],
        "progress": [{"target_id": target.pk, "achieved_value": "30"}],
        "volunteers_count": 2,
        "volunteer_hours": "12.5",
        "narrative": "Going well",
        "case_studies": "One story",
    }
    response = client.post(url, payload, content_type="application/json", **_bearer(member))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["parts"][0]["progress"][0]["achieved_value"] == "30.00"
    again = client.post(url, payload, content_type="application/json", **_bearer(member))
    assert again.json()["submitted_at"] == body["submitted_at"]


def test_negative_spend_and_wrong_shape_are_refused(client, provider) -> None:
    award, plan, member = provider
    url = f"/api/v1/monitoring/returns/{plan.returns.first().pk}/submit"
    bad = {"spends": [{"award_id": award.pk, "spend_pence": -5}]}
    response = client.post(url, bad, content_type="application/json", **_bearer(member))
    assert response.status_code == 400
    assert response.json()["errors"]["spends"] == ["Spend cannot be negative"]
    response = client.post(url, {"spends": "x"}, content_type="application/json", **_bearer(member))
    assert response.status_code == 422


def test_the_openapi_document_lists_the_submit_errors(client, db) -> None:
    spec = client.get("/api/openapi.json").json()
    submit = spec["paths"]["/api/v1/monitoring/returns/{return_id}/submit"]["post"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(submit["responses"])

"""API: outcomes, pots, needs and intentions, with their error bodies."""

from __future__ import annotations

import pytest
from django.utils import timezone

from thrive.accounts import services as account_services
from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.commissioning.models import IntentionStatus
from thrive.commissioning.tests.factories import IntentionFactory, NeedFactory
from thrive.strategy.tests.factories import FundingPotFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_outcomes_need_credentials(client) -> None:
    response = client.get("/api/v1/outcomes")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_outcomes_list_the_framework(client, commissioner) -> None:
    body = client.get("/api/v1/outcomes", **bearer(commissioner)).json()
    codes = [o["code"] for o in body]
    assert codes[:3] == ["PO1", "PO2", "PO3"]
    assert {"DLC1", "NI6", "NI7"} <= set(codes)


def test_pots_show_budget_committed_and_remaining(client, directorate) -> None:
    finance = staff_with_role(Role.FINANCE_OFFICER, council=directorate.council)
    FundingPotFactory(
        council=directorate.council, directorate=directorate, budget_pence=1000, committed_pence=400
    )
    FundingPotFactory(name="Elsewhere")
    body = client.get("/api/v1/pots", **bearer(finance)).json()
    assert [(p["budget_pence"], p["committed_pence"], p["remaining_pence"]) for p in body] == [
        (1000, 400, 600)
    ]


def test_pot_of_another_council_is_forbidden_with_a_body(client, directorate) -> None:
    finance = staff_with_role(Role.FINANCE_OFFICER, council=directorate.council)
    pot = FundingPotFactory(council=CouncilFactory(name="Eastvale"))
    response = client.get(f"/api/v1/pots/{pot.pk}", **bearer(finance))
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "You do not have permission to do this.",
        "errors": {},
    }
    missing = client.get("/api/v1/pots/999999", **bearer(finance))
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_provider_users_cannot_read_pots_or_needs(client) -> None:
    from thrive.accounts.tests.factories import MembershipFactory

    user = MembershipFactory().user
    assert client.get("/api/v1/pots", **bearer(user)).status_code == 403
    assert client.get("/api/v1/needs", **bearer(user)).json()["code"] == "forbidden"


def test_needs_come_ranked_and_explained(client, commissioner, directorate) -> None:
    NeedFactory(council=directorate.council, directorate=directorate, title="Low", budget=1)
    NeedFactory(
        council=directorate.council,
        directorate=directorate,
        title="Statutory",
        statutory=True,
        statutory_basis="Care Act",
    )
    body = client.get("/api/v1/needs", **bearer(commissioner)).json()
    assert [n["title"] for n in body] == ["Statutory", "Low"]
    assert body[0]["priority_explanation"].startswith("Statutory (Care Act)")


def test_anonymous_callers_see_only_published_intentions(client, directorate) -> None:
    IntentionFactory(council=directorate.council, title="Draft")
    IntentionFactory(
        council=directorate.council,
        title="Live",
        status=IntentionStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    body = client.get("/api/v1/intentions").json()
    assert [i["title"] for i in body] == ["Live"]
    draft = IntentionFactory(council=directorate.council)
    response = client.get(f"/api/v1/intentions/{draft.reference}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_staff_see_their_drafts_through_the_api(client, commissioner, directorate) -> None:
    draft = IntentionFactory(council=directorate.council, directorate=directorate)
    assert (
        client.get(f"/api/v1/intentions/{draft.reference}", **bearer(commissioner)).json()["status"]
        == "draft"
    )


def test_the_openapi_document_lists_the_endpoints(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/v1/outcomes", "/api/v1/pots", "/api/v1/needs", "/api/v1/intentions"):
        assert path in paths
    assert "403" in paths["/api/v1/pots/{pot_id}"]["get"]["responses"]

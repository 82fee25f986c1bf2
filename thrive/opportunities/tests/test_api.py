"""API for opportunities and clarifications, with structured errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts import services as account_services
from thrive.accounts.tests.factories import MembershipFactory
from thrive.opportunities.models import OpportunityStatus
from thrive.opportunities.tests.factories import OpportunityFactory, TenderFactory

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def test_opportunities_are_public_with_filters() -> None:
    grant = OpportunityFactory()
    tender = TenderFactory()
    tender.criteria.create(title="Quality", weight=100)
    OpportunityFactory(status=OpportunityStatus.DRAFT)
    body = Client().get("/api/v1/opportunities").json()
    assert body["count"] == 2
    tenders = Client().get("/api/v1/opportunities?kind=tender").json()
    assert [r["id"] for r in tenders["results"]] == [tender.pk]
    one = Client().get(f"/api/v1/opportunities/{tender.pk}").json()
    assert one["sealed"] is True
    [criterion] = one["criteria"]
    assert {k: criterion[k] for k in ("title", "description", "weight", "kind", "lot")} == {
        "title": "Quality",
        "description": "",
        "weight": 100,
        "kind": "quality",
        "lot": None,
    }
    assert criterion["gate"] is False and criterion["price_formula"] is None
    assert [p["score"] for p in criterion["scale"]] == [0, 1, 2, 3, 4, 5]
    assert grant.reference in [r["reference"] for r in body["results"]]


def test_bad_filters_get_a_422_body() -> None:
    response = Client().get("/api/v1/opportunities?kind=lottery")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "kind" in response.json()["errors"]


def test_unknown_opportunity_is_404() -> None:
    response = Client().get("/api/v1/opportunities/999999")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "errors": {}}


def test_a_member_asks_a_question_and_answers_are_listed_anonymously() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    response = Client().post(
        f"/api/v1/opportunities/{opportunity.pk}/clarifications",
        {"organisation_id": member.organisation.pk, "question": "Can we hire rooms?"},
        content_type="application/json",
        headers=_bearer(member.user),
    )
    assert response.status_code == 201
    assert Client().get(f"/api/v1/opportunities/{opportunity.pk}/clarifications").json() == []


def test_asking_for_another_organisation_is_forbidden() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    other = MembershipFactory()
    response = Client().post(
        f"/api/v1/opportunities/{opportunity.pk}/clarifications",
        {"organisation_id": other.organisation.pk, "question": "?"},
        content_type="application/json",
        headers=_bearer(member.user),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_late_question_gets_a_400_with_the_deadline() -> None:
    opportunity = OpportunityFactory(
        clarification_deadline=timezone.now() - timedelta(minutes=1),
        opens_at=timezone.now() - timedelta(days=2),
    )
    member = MembershipFactory()
    response = Client().post(
        f"/api/v1/opportunities/{opportunity.pk}/clarifications",
        {"organisation_id": member.organisation.pk, "question": "Too late?"},
        content_type="application/json",
        headers=_bearer(member.user),
    )
    assert response.status_code == 400
    assert "The deadline for questions was" in response.json()["message"]


def test_asking_needs_credentials() -> None:
    opportunity = OpportunityFactory()
    response = Client().post(
        f"/api/v1/opportunities/{opportunity.pk}/clarifications",
        {"organisation_id": 1, "question": "?"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_openapi_document_lists_the_endpoints() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/opportunities",
        "/api/v1/opportunities/{opportunity_id}/clarifications",
        "/api/v1/applications",
        "/api/v1/applications/{application_id}/submit",
    ):
        assert path in paths

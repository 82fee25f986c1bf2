"""API for applications: own organisation only, drafts, idempotent submit, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts import services as account_services
from thrive.accounts.tests.factories import MembershipFactory
from thrive.applications.models import Submission
from thrive.applications.tests.factories import ApplicationFactory, CompleteApplicationFactory
from thrive.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _member(application):
    return MembershipFactory(organisation=application.organisation).user


def test_providers_see_only_their_own_organisations_applications() -> None:
    mine = ApplicationFactory()
    ApplicationFactory()
    body = Client().get("/api/v1/applications", headers=_bearer(_member(mine))).json()
    assert [a["id"] for a in body] == [mine.pk]


def test_another_organisations_application_is_not_found() -> None:
    theirs = ApplicationFactory()
    outsider = MembershipFactory().user
    response = Client().get(f"/api/v1/applications/{theirs.pk}", headers=_bearer(outsider))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_start_save_and_submit_through_the_api() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    headers = _bearer(member.user)
    client = Client()
    started = client.post(
        "/api/v1/applications",
        {"opportunity_id": opportunity.pk, "organisation_id": member.organisation.pk},
        content_type="application/json",
        headers=headers,
    )
    assert started.status_code == 201
    application_id = started.json()["id"]
    saved = client.patch(
        f"/api/v1/applications/{application_id}/sections/money",
        {
            "answers": {
                "amount_requested": 120_000,
                "budget": [{"item": "Paint", "amount_pence": 120_000}],
            }
        },
        content_type="application/json",
        headers=headers,
    )
    assert saved.status_code == 200
    assert saved.json()["application"]["amount_requested_pence"] == 120_000
    incomplete = client.post(
        f"/api/v1/applications/{application_id}/submit",
        {"idempotency_key": "api-1", "declaration": True},
        content_type="application/json",
        headers=headers,
    )
    assert incomplete.status_code == 400
    assert "Complete every section" in incomplete.json()["message"]


def test_submit_is_idempotent_through_the_api() -> None:
    application = CompleteApplicationFactory()
    headers = _bearer(_member(application))
    url = f"/api/v1/applications/{application.pk}/submit"
    payload = {"idempotency_key": "retry-me", "declaration": True}
    first = Client().post(url, payload, content_type="application/json", headers=headers)
    second = Client().post(url, payload, content_type="application/json", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["reference"] == second.json()["reference"]
    assert Submission.objects.filter(application=application).count() == 1


def test_a_late_submit_gets_a_400_naming_the_deadline() -> None:
    application = CompleteApplicationFactory()
    opportunity = application.opportunity
    opportunity.closes_at = timezone.now() - timedelta(seconds=1)
    opportunity.save()
    response = Client().post(
        f"/api/v1/applications/{application.pk}/submit",
        {"idempotency_key": "late", "declaration": True},
        content_type="application/json",
        headers=_bearer(_member(application)),
    )
    assert response.status_code == 400
    assert "The deadline was" in response.json()["message"]
    assert "(UK time)" in response.json()["message"]


def test_starting_for_an_organisation_you_do_not_belong_to_is_forbidden() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    other = MembershipFactory()
    response = Client().post(
        "/api/v1/applications",
        {"opportunity_id": opportunity.pk, "organisation_id": other.organisation.pk},
        content_type="application/json",
        headers=_bearer(member.user),
    )
    assert response.status_code == 403


def test_malformed_payload_gets_422() -> None:
    member = MembershipFactory()
    response = Client().post(
        "/api/v1/applications",
        {"opportunity_id": "x"},
        content_type="application/json",
        headers=_bearer(member.user),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"

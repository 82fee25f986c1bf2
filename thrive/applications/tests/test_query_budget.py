"""What one organisation's application costs the database through the API at a deadline:
start, three section saves and the submission, each call's queries pinned (the rate limits'
counters live in Redis in production and are left out here)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from thrive.accounts import services as account_services
from thrive.accounts.selectors import PROVIDER_BY_TOKEN
from thrive.accounts.tests.factories import MembershipFactory
from thrive.applications.models import Application, ApplicationStatus, Submission
from thrive.applications.seed import SMALL_GRANT_ANSWERS
from thrive.applications.selectors import _LOCKED_FOR_MEMBER
from thrive.applications.tests.factories import ApplicationFactory
from thrive.core.db import analyze
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.models import Organisation
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SECTIONS = {
    "project": ["project_title", "project_summary", "purpose", "community_benefit", "start_date"],
    "money": ["amount_requested", "budget", "other_funding"],
    "documents": [],
}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.THRIVE_RATE_LIMITS = {}


@pytest.fixture
def applicant() -> tuple[Any, Any, dict[str, str]]:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    _, secret = account_services.create_api_token(user=member.user, name="surge")
    return opportunity, member.organisation, {"Authorization": f"Bearer {secret}"}


def _start(client: Client, opportunity: Any, organisation: Any, headers: dict) -> Any:
    return client.post(
        "/api/v1/applications",
        {"opportunity_id": opportunity.pk, "organisation_id": organisation.pk},
        content_type="application/json",
        headers=headers,
    )


def _save(client: Client, application_id: int, key: str, headers: dict) -> Any:
    answers = {name: SMALL_GRANT_ANSWERS[name] for name in SECTIONS[key]}
    return client.patch(
        f"/api/v1/applications/{application_id}/sections/{key}",
        {"answers": answers},
        content_type="application/json",
        headers=headers,
    )


def _submit(client: Client, application_id: int, key: str, headers: dict) -> Any:
    return client.post(
        f"/api/v1/applications/{application_id}/submit",
        {"idempotency_key": key, "declaration": True},
        content_type="application/json",
        headers=headers,
    )


def _statements(captured: CaptureQueriesContext) -> int:
    """Statements sent, leaving out the savepoints that stand in here for the transactions
    each call begins and commits (``BEGIN`` and ``COMMIT`` are not counted in production)."""
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


# Each audit event is one statement on PostgreSQL, three on SQLite (one writer at a time).
AUDIT_EXTRA = 0 if connection.vendor == "postgresql" else 2
# The receipt email is queued when the submission commits, which a test's transaction never
# does: one statement more in production.
RECEIPT_QUEUED = 1


def test_an_application_through_the_api_stays_within_its_queries(applicant: Any) -> None:
    """Start 6 (the token with the user's memberships, its last use, the opportunity, the
    form with any draft, the insert, the audit event), each save 3 (the token, the
    application read under its lock, the update), submit 7 (the token, the application
    locked, its submissions, the register's facts, the update, the submission, the audit
    event) and 1 to queue the receipt: 23 an organisation on PostgreSQL, within 25."""
    opportunity, organisation, headers = applicant
    client = Client()
    counts = []
    with CaptureQueriesContext(connection) as captured:
        started = _start(client, opportunity, organisation, headers)
    counts.append(_statements(captured))
    assert counts[-1] <= 6 + AUDIT_EXTRA
    assert started.status_code == 201
    application_id = started.json()["id"]
    for key in SECTIONS:
        with CaptureQueriesContext(connection) as captured:
            saved = _save(client, application_id, key, headers)
        counts.append(_statements(captured))
        assert counts[-1] <= 3
        assert saved.status_code == 200
        assert saved.json()["errors"] == {}
    assert saved.json()["application"]["amount_requested_pence"] == 150_000
    with CaptureQueriesContext(connection) as captured:
        receipt = _submit(client, application_id, "surge-1", headers)
    counts.append(_statements(captured))
    assert counts[-1] <= 7 + AUDIT_EXTRA
    assert sum(counts) + RECEIPT_QUEUED <= 25 + 2 * AUDIT_EXTRA
    assert receipt.status_code == 200
    body = receipt.json()
    assert body["application"]["status"] == ApplicationStatus.SUBMITTED
    assert body["application"]["reference"] == body["reference"]
    assert body["application"]["answers"]["project_title"] == SMALL_GRANT_ANSWERS["project_title"]


def test_a_retried_start_and_submit_answer_the_same_within_their_queries(
    applicant: Any, django_assert_max_num_queries: Any
) -> None:
    opportunity, organisation, headers = applicant
    client = Client()
    application_id = _start(client, opportunity, organisation, headers).json()["id"]
    for key in SECTIONS:
        _save(client, application_id, key, headers)
    first = _submit(client, application_id, "surge-2", headers).json()
    with django_assert_max_num_queries(8):
        again = _start(client, opportunity, organisation, headers)
    assert again.json()["id"] == application_id
    with django_assert_max_num_queries(8):
        retried = _submit(client, application_id, "surge-2", headers)
    assert retried.status_code == 200
    assert retried.json()["reference"] == first["reference"]
    assert Submission.objects.filter(application_id=application_id).count() == 1


def test_a_key_used_on_another_application_is_a_409_with_a_json_body(applicant: Any) -> None:
    opportunity, organisation, headers = applicant
    client = Client()
    first_id = _start(client, opportunity, organisation, headers).json()["id"]
    for key in SECTIONS:
        _save(client, first_id, key, headers)
    assert _submit(client, first_id, "mine", headers).status_code == 200
    other = OpportunityFactory()
    second_id = _start(client, other, organisation, headers).json()["id"]
    for key in SECTIONS:
        _save(client, second_id, key, headers)
    clash = _submit(client, second_id, "mine", headers)
    assert clash.status_code == 409
    assert clash["Content-Type"].startswith("application/json")
    assert clash.json()["errors"]["idempotency_key"]
    assert not Submission.objects.filter(application_id=second_id).exists()


def test_a_rate_limited_submit_reads_the_token_once(applicant: Any, settings: Any) -> None:
    """The rate limit counts the token's user, and the API signs them in, from one read."""
    settings.THRIVE_RATE_LIMITS = {"api:submit": {"user": "20/h"}}
    opportunity, organisation, headers = applicant
    client = Client()
    application_id = _start(client, opportunity, organisation, headers).json()["id"]
    for key in SECTIONS:
        _save(client, application_id, key, headers)
    with CaptureQueriesContext(connection) as captured:
        receipt = _submit(client, application_id, "surge-3", headers)
    assert receipt.status_code == 200
    token_reads = [
        q
        for q in captured.captured_queries
        if "key_hash" in q["sql"] or f"EXECUTE {PROVIDER_BY_TOKEN.name}(" in q["sql"]
    ]
    assert len(token_reads) == 1


def _rows_read(plan: dict) -> int:
    """The most rows any one step of a query plan produced (all its loops together)."""
    own = int(plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1))
    return max([own, *(_rows_read(child) for child in plan.get("Plans", []))])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_a_save_reads_a_handful_of_rows_when_the_applicants_registered_since_the_statistics(
    applicant: Any,
) -> None:
    """A first deadline after many organisations registered: the statistics have seen only
    the older organisations' applications. Each save's locked read must still go straight
    to its application, not walk every organisation (a merge join PostgreSQL chose for the
    joined organisation: 1 ms a save, the surge's largest single cost)."""

    opportunity, _, _ = applicant
    for _ in range(20):
        ApplicationFactory(opportunity=opportunity)
    newcomers = OrganisationFactory.create_batch(300)
    newcomer = newcomers[-1]
    member = MembershipFactory(organisation=newcomer)
    _, secret = account_services.create_api_token(user=member.user, name="surge")
    headers = {"Authorization": f"Bearer {secret}"}
    analyze(Organisation, Application)
    client = Client()
    started = _start(client, opportunity, newcomer, headers)
    assert started.status_code == 201
    with CaptureQueriesContext(connection) as captured:
        saved = _save(client, started.json()["id"], "project", headers)
    assert saved.status_code == 200
    assert saved.json()["application"]["organisation"] == newcomer.name
    (locked,) = [q["sql"] for q in captured if f"EXECUTE {_LOCKED_FOR_MEMBER.name}(" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {locked}")
        (plan,) = cursor.fetchone()[0]
    assert _rows_read(plan["Plan"]) <= 20, json.dumps(plan, indent=1)

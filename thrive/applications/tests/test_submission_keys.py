"""Submission keys are scoped to their application: another organisation choosing the same
key submits its own application; the same person reusing a key on another of theirs gets a
clear refusal (a JSON 409 through the API, a message and a fresh key on the page)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from thrive.accounts import services as account_services
from thrive.accounts.tests.factories import MembershipFactory
from thrive.applications.models import ApplicationStatus, Submission
from thrive.applications.tests.factories import CompleteApplicationFactory

pytestmark = pytest.mark.django_db


def _submit(application: Any, user: Any, key: str) -> Any:
    _, secret = account_services.create_api_token(user=user, name="t")
    return Client().post(
        f"/api/v1/applications/{application.pk}/submit",
        {"idempotency_key": key, "declaration": True},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def _member(application: Any) -> Any:
    return MembershipFactory(organisation=application.organisation).user


def test_another_organisation_using_the_same_key_submits_its_own_application() -> None:
    ours, theirs = CompleteApplicationFactory(), CompleteApplicationFactory()
    first = _submit(ours, _member(ours), "order-1")
    second = _submit(theirs, _member(theirs), "order-1")
    assert first.status_code == second.status_code == 200
    assert first.json()["reference"] != second.json()["reference"]
    assert second.json()["application"]["status"] == ApplicationStatus.SUBMITTED
    assert Submission.objects.filter(idempotency_key="order-1").count() == 2
    assert set(Submission.objects.values_list("application", flat=True)) == {ours.pk, theirs.pk}


def test_a_retry_after_another_organisation_used_the_key_still_gets_the_original_receipt() -> None:
    ours, theirs = CompleteApplicationFactory(), CompleteApplicationFactory()
    user = _member(ours)
    receipt = _submit(ours, user, "order-1").json()["reference"]
    assert _submit(theirs, _member(theirs), "order-1").status_code == 200
    again = _submit(ours, user, "order-1")
    assert again.status_code == 200
    assert again.json()["reference"] == receipt
    assert Submission.objects.filter(application=ours).count() == 1


def test_the_database_keeps_one_submission_per_key_of_an_application() -> None:
    application = CompleteApplicationFactory()
    Submission.objects.create(application=application, idempotency_key="k", reference="R1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(application=application, idempotency_key="k", reference="R2")
    other = CompleteApplicationFactory()
    Submission.objects.create(application=other, idempotency_key="k", reference="R3")
    assert Submission.objects.filter(idempotency_key="k").count() == 2


def test_the_clash_is_declared_in_the_api_document_as_a_json_error() -> None:
    document = Client().get("/api/openapi.json").json()
    operation = document["paths"]["/api/v1/applications/{application_id}/submit"]["post"]
    conflict = operation["responses"]["409"]
    schema = conflict["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ErrorOut")
    assert "another application" in operation["description"]


def test_after_a_clash_on_the_page_pressing_submit_again_submits() -> None:
    first = CompleteApplicationFactory()
    second = CompleteApplicationFactory(organisation=first.organisation)
    client = Client()
    client.force_login(_member(first))
    data = {"idempotency_key": "shared-key", "declaration": "on"}
    assert client.post(f"/applications/{first.pk}/check/", data).status_code == 302
    refused = client.post(f"/applications/{second.pk}/check/", data)
    text = refused.content.decode()
    assert "already used for another application" in text
    fresh = re.search(r'name="idempotency_key" value="([^"]+)"', text)
    assert fresh and fresh.group(1) != "shared-key"
    again = client.post(
        f"/applications/{second.pk}/check/",
        {"idempotency_key": fresh.group(1), "declaration": "on"},
    )
    assert again.status_code == 302
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    assert second.submissions.get().idempotency_key == fresh.group(1)


def test_a_submissions_receipt_is_queued_in_its_own_transaction(settings) -> None:
    """With the queue in the database, the receipt's task is written with the submission:
    a web process killed between the commit and anything after it cannot lose the receipt,
    and a submission rolled back queues nothing."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    application = CompleteApplicationFactory()
    user = _member(application)
    receipts = DBTaskResult.objects.filter(task_path="thrive.applications.tasks.send_receipt")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _submit(application, user, "rolled-back").status_code == 200
        assert receipts.count() == 1  # queued inside the transaction, before any commit
        raise RuntimeError("the submission's transaction fails after all")
    assert receipts.count() == 0 and not Submission.objects.filter(application=application).exists()
    assert _submit(application, user, "kept").status_code == 200
    submission = Submission.objects.get(application=application)
    queued = receipts.get()
    assert queued.args_kwargs["args"] == [submission.pk]
    assert queued.status == TaskResultStatus.READY

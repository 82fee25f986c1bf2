"""Home page per kind of user, health check, error pages, security headers."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db.utils import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.core import health

pytestmark = pytest.mark.django_db


def test_home_says_what_the_service_is_for_and_routes_everyone(client) -> None:
    response = client.get("/")
    content = response.content.decode()
    assert "Funding and commissioning for the voluntary and community sector" in content
    assert "Thrive is shared by the councils that use it" in content
    assert 'href="/accounts/login/"' in content
    assert 'href="/opportunities/"' in content and 'href="/open-data/"' in content
    assert 'href="#main-content"' in content  # skip link
    assert 'href="/accessibility/"' in content and 'href="/privacy/"' in content
    assert "govuk-phase-banner" in content


def test_installation_name_comes_from_configuration(client, settings) -> None:
    settings.THRIVE_INSTALLATION_NAME = "Northvale and Eastvale Councils"
    assert b"Northvale and Eastvale Councils" in client.get("/").content


def test_staff_home_lists_their_roles_and_navigation(client) -> None:
    user = staff_with_role(Role.COUNCIL_ADMIN)
    client.force_login(user)
    content = client.get("/").content.decode()
    assert "Council administrator" in content
    assert 'href="/audit/"' in content  # navigation by role
    commissioner = staff_with_role(Role.COMMISSIONER, council=user.council)
    client.force_login(commissioner)
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_provider_home_lists_their_organisations(client) -> None:
    membership = MembershipFactory(is_admin=True)
    client.force_login(membership.user)
    content = client.get("/").content.decode()
    assert membership.organisation.name in content
    assert "Organisation admin" in content


def _queued(*, waited: timedelta, run_after=None) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="thrive.core.tasks.example",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def test_health_check_answers_ok_when_the_database_answers(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("ok", "ok", "ok")
    assert body["tasks"]["waiting"] == 0
    assert body["tasks"]["oldest_waiting_seconds"] is None
    assert "no-cache" in response["Cache-Control"]


def test_health_check_answers_503_when_the_database_does_not(client) -> None:
    with mock.patch("thrive.core.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_health_check_reports_the_waiting_tasks_and_the_oldest_ones_age(client) -> None:
    _queued(waited=timedelta(seconds=40))
    _queued(waited=timedelta(seconds=5))
    # Put off until tomorrow: not waiting yet.
    _queued(waited=timedelta(hours=2), run_after=timezone.now() + timedelta(days=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert tasks["waiting"] == 2
    assert 40 <= tasks["oldest_waiting_seconds"] < 100
    assert tasks["max_waiting_seconds"] == 300


def test_health_check_answers_503_when_a_task_has_waited_too_long(client, settings) -> None:
    settings.THRIVE_HEALTH_MAX_QUEUE_AGE = 120
    _queued(waited=timedelta(seconds=30))
    assert client.get("/healthz").status_code == 200
    late = _queued(waited=timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] == "ok"
    assert body["tasks"]["waiting"] == 2 and body["tasks"]["oldest_waiting_seconds"] >= 600
    # Once the worker takes it, the service is healthy again.
    DBTaskResult.objects.filter(pk=late.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    assert client.get("/healthz").status_code == 200


def test_health_check_says_when_the_worker_was_last_seen(client, monkeypatch) -> None:
    cache.delete(health.WORKER_SEEN_KEY)  # a task run by an earlier test in this process
    monkeypatch.setattr(health, "_noted_at", 0.0)
    assert client.get("/healthz").json()["tasks"]["worker_last_seen_seconds"] is None
    health.note_worker_alive(sender=None)
    seen = client.get("/healthz").json()["tasks"]["worker_last_seen_seconds"]
    assert seen is not None and 0 <= seen < 60


def test_a_busy_worker_notes_itself_alive_once_a_second_not_twice_a_task(monkeypatch) -> None:
    clock = [1_000.0]
    monkeypatch.setattr(health.time, "time", lambda: clock[0])
    monkeypatch.setattr(health, "_noted_at", 0.0)
    written = []
    monkeypatch.setattr(health.cache, "set", lambda key, value, timeout: written.append(value))
    for _ in range(4):  # two tasks started and finished within the second
        health.note_worker_alive(sender=None)
        clock[0] += 0.3
    health.note_worker_alive(sender=None)  # 1.2 s after the first
    assert written == [1_000.0, pytest.approx(1_001.2)]


def test_health_check_answers_503_when_the_shared_cache_does_not(client) -> None:
    with mock.patch("thrive.core.health.cache.get", side_effect=ConnectionError("no redis")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"


def test_health_check_needs_no_sign_in_and_names_nothing_private(client) -> None:
    _queued(waited=timedelta(seconds=10))
    body = client.get("/healthz").json()
    assert set(body) == {"status", "database", "cache", "tasks"}
    assert set(body["tasks"]) == {
        "waiting",
        "oldest_waiting_seconds",
        "max_waiting_seconds",
        "worker_last_seen_seconds",
        "held_by_dead_workers",
    }
    assert "thrive.core.tasks" not in str(body)


def test_not_found_page_is_in_the_service_style(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-header" not in response.content and b"app-header" in response.content


def test_forbidden_page_is_in_the_service_style(client) -> None:
    client.force_login(MembershipFactory().user)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert b"You do not have permission to see this page" in response.content


def test_server_error_page_is_in_the_service_style(settings) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with mock.patch("thrive.core.views.home_context", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


def test_csrf_failure_says_the_session_expired() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert b"Your session has expired" in response.content


def test_every_response_has_a_request_id_and_security_headers(client) -> None:
    response = client.get("/", HTTP_X_REQUEST_ID="trace-abc-123")
    assert response["X-Request-ID"] == "trace-abc-123"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    generated = client.get("/", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"]
    assert generated != "bad id!" and len(generated) == 32

"""Rate limits: POSTs to sign-in, resets, registration, joining, invitations, questions and
submissions are counted in a store every web process shares, and answered 429 past the limit."""

from __future__ import annotations

import threading
import uuid
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.urls import NoReverseMatch, reverse

from thrive.accounts import services as account_services
from thrive.accounts.models import Invitation
from thrive.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from thrive.applications.tests.factories import ApplicationFactory
from thrive.core import ratelimit
from thrive.opportunities.models import Clarification
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.models import JoinRequest, Organisation
from thrive.organisations.tests.factories import THIRD_SECTOR_ANSWERS, OrganisationFactory

TOO_MANY = "You have tried too many times"
REDIS_URL = "redis://127.0.0.1:6379/15"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user) -> dict[str, str]:
    _, secret = account_services.create_api_token(user=user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _reset(client: Client, email: str, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def _assert_refused_page(response) -> None:
    assert response.status_code == 429
    assert TOO_MANY in response.text
    assert "govuk-heading-l" in response.text
    assert int(response["Retry-After"]) > 0


def _assert_refused_json(response) -> None:
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert TOO_MANY in body["message"]
    assert body["errors"] == {}
    assert int(response["Retry-After"]) > 0


# --- the finding: password reset ------------------------------------------------------------


def test_a_sixth_password_reset_for_one_address_in_an_hour_is_refused_and_sends_no_email(
    db, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    UserFactory(email="pat@example.org")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_reset(client, "pat@example.org").status_code for _ in range(5)]
    assert answers == [302] * 5
    assert len(mailoutbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        refused = _reset(client, "PAT@example.org ")
    _assert_refused_page(refused)
    assert len(mailoutbox) == 5
    # Another address from the same place is still served.
    assert _reset(client, "sam@example.org").status_code == 302


def test_password_resets_are_also_limited_per_client_address(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {"accounts:password_reset": {"ip": "2/h", "email": "5/h"}}
    client = Client()
    assert _reset(client, "a@example.org").status_code == 302
    assert _reset(client, "b@example.org").status_code == 302
    _assert_refused_page(_reset(client, "c@example.org"))
    assert _reset(client, "c@example.org", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_reading_a_limited_page_is_never_counted(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {"accounts:password_reset": {"ip": "1/h"}}
    client = Client()
    for _ in range(3):
        assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert _reset(client, "a@example.org").status_code == 302


# --- client addresses: read like the lockout reads them ---------------------------------------


def test_a_forged_forwarded_header_does_not_reset_the_count(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {"accounts:password_reset": {"ip": "1/h"}}
    client = Client()
    assert _reset(client, "a@example.org", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    refused = _reset(client, "b@example.org", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert refused.status_code == 429


def test_behind_a_proxy_the_address_it_saw_counts_not_what_the_client_claims(db, settings) -> None:
    settings.THRIVE_PROXY_COUNT = 1
    settings.THRIVE_RATE_LIMITS = {"accounts:password_reset": {"ip": "1/h"}}
    client = Client(REMOTE_ADDR="10.0.0.2")
    first = _reset(client, "a@example.org", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert first.status_code == 302
    forged = _reset(client, "b@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9")
    assert forged.status_code == 429
    other_person = _reset(client, "c@example.org", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert other_person.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    rf, settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.THRIVE_PROXY_COUNT = proxies
    request = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_ip(request) == expected


def test_the_lockout_reads_the_client_address_the_same_way(rf, settings) -> None:
    from axes.helpers import get_client_ip_address

    settings.THRIVE_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert get_client_ip_address(request) == ratelimit.client_ip(request) == "203.0.113.5"


# --- registration, joining, invitations, questions, submissions -------------------------------


def _registration(email: str) -> dict[str, str]:
    return {
        "name": "Castlemere Carers",
        "legal_form": "cio",
        "postcode": "ws1 1aa",
        "first_name": "Priya",
        "last_name": "Shah",
        "email": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **THIRD_SECTOR_ANSWERS,
    }


def test_registration_is_limited_and_a_refused_one_creates_nothing(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {"organisations:register": {"ip": "2/h"}}
    client = Client()
    url = reverse("organisations:register")
    assert client.post(url, {"name": ""}).status_code == 200
    assert client.post(url, {"name": ""}).status_code == 200
    _assert_refused_page(client.post(url, _registration("priya@example.org")))
    assert not Organisation.objects.filter(name="Castlemere Carers").exists()


def test_join_requests_are_limited_per_signed_in_person(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {"organisations:join": {"user": "1/h"}}
    user = UserFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    client = _signed_in(user)
    hello = {"message": "I run the Tuesday club."}
    assert client.post(reverse("organisations:join", args=[first.pk]), hello).status_code == 302
    refused = client.post(reverse("organisations:join", args=[second.pk]), hello, REMOTE_ADDR="::1")
    _assert_refused_page(refused)
    assert list(JoinRequest.objects.values_list("organisation", flat=True)) == [first.pk]


def test_invitations_to_one_address_are_limited(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {"organisations:invite": {"email": "1/h"}}
    admin = MembershipFactory(is_admin=True)
    client = _signed_in(admin.user)
    url = reverse("organisations:invite", args=[admin.organisation.pk])
    assert client.post(url, {"email": "new@example.org"}).status_code == 302
    second = MembershipFactory(is_admin=True)
    other_url = reverse("organisations:invite", args=[second.organisation.pk])
    _assert_refused_page(_signed_in(second.user).post(other_url, {"email": "NEW@example.org"}))
    assert Invitation.objects.filter(email__iexact="new@example.org").count() == 1


def test_questions_are_limited_on_the_page_and_in_the_api(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {
        "opportunities:ask": {"user": "1/h"},
        "api:ask": {"user": "1/h"},
    }
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    client = _signed_in(member.user)
    url = reverse("opportunities:ask", args=[opportunity.pk])
    question = {"organisation": member.organisation.pk, "question": "Is room hire eligible?"}
    assert client.post(url, question).status_code == 302
    _assert_refused_page(client.post(url, question))
    api_url = f"/api/v1/opportunities/{opportunity.pk}/clarifications"
    payload = {"organisation_id": member.organisation.pk, "question": "And hire of a van?"}
    headers = _bearer(member.user)
    api = Client()
    assert api.post(api_url, payload, "application/json", headers=headers).status_code == 201
    _assert_refused_json(api.post(api_url, payload, "application/json", headers=headers))
    assert Clarification.objects.count() == 2
    # Reading the questions is never limited.
    assert api.get(api_url).status_code == 200


def test_submissions_are_limited_on_the_page_and_in_the_api(db, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {
        "applications:check": {"user": "1/h"},
        "api:submit": {"user": "1/h"},
    }
    member = MembershipFactory()
    application = ApplicationFactory(organisation=member.organisation)
    client = _signed_in(member.user)
    url = reverse("applications:check", args=[application.pk])
    assert client.post(url, {"idempotency_key": "k" * 20}).status_code == 200
    _assert_refused_page(client.post(url, {"idempotency_key": "k" * 20, "declaration": "on"}))
    api_url = f"/api/v1/applications/{application.pk}/submit"
    payload = {"idempotency_key": "k" * 20, "declaration": False}
    headers = _bearer(member.user)
    assert Client().post(api_url, payload, "application/json", headers=headers).status_code == 400
    _assert_refused_json(Client().post(api_url, payload, "application/json", headers=headers))
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_service_limits_every_action_the_issue_names() -> None:
    table = django_settings.THRIVE_RATE_LIMITS
    for name in (
        "accounts:login",
        "accounts:two_factor_verify",
        "accounts:password_reset",
        "accounts:resend_verification",
        "organisations:register",
        "organisations:join",
        "organisations:invite",
        "accounts:staff_add",
        "opportunities:invite",
        "opportunities:ask",
        "applications:check",
        "api:ask",
        "api:submit",
        "api:create_organisation",
    ):
        assert table.get(name), name
    for rates in table.values():
        assert set(rates) <= {"ip", "user", "email"}
        for text in rates.values():
            ratelimit.parse_rate(text)


def test_every_limited_name_is_a_real_route() -> None:
    unknown = set()
    for name in django_settings.THRIVE_RATE_LIMITS:
        try:
            reverse(name)
        except NoReverseMatch as exc:
            if "with no arguments not found" not in str(exc) and "arguments '()'" not in str(exc):
                unknown.add(name)
    # Named ahead of the sign-in pages that resend the verification link and take the code.
    assert unknown <= {"accounts:resend_verification", "accounts:two_factor_verify"}


def test_the_api_document_declares_the_429_of_each_limited_operation(db) -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    ask = paths["/api/v1/opportunities/{opportunity_id}/clarifications"]
    assert "429" in ask["post"]["responses"]
    assert "429" not in ask["get"]["responses"]
    assert "429" in paths["/api/v1/applications/{application_id}/submit"]["post"]["responses"]
    assert "429" in paths["/api/v1/organisations"]["post"]["responses"]


# --- the store: shared by every process, never per-process memory -----------------------------


@pytest.mark.parametrize(
    ("text", "limit", "seconds"),
    [("5/h", 5, 3600), ("30/15m", 30, 900), ("1/s", 1, 1), ("100/d", 100, 86400)],
)
def test_rates_read_as_a_count_per_period(text: str, limit: int, seconds: int) -> None:
    assert ratelimit.parse_rate(text) == ratelimit.Rate(limit=limit, seconds=seconds)


@pytest.mark.parametrize("text", ["5", "5/w", "/h", "0/h", "5/0m", "five/h"])
def test_a_malformed_rate_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="rate"):
        ratelimit.parse_rate(text)


def test_counts_are_kept_in_the_database_not_in_a_process(db) -> None:
    store = caches["ratelimit"]
    assert isinstance(store, ratelimit.DatabaseCounterCache)
    assert django_settings.CACHES["ratelimit"]["BACKEND"] != (
        "django.core.cache.backends.locmem.LocMemCache"
    )


def test_a_count_written_by_one_connection_is_seen_by_another(transactional_db) -> None:
    caches["ratelimit"].clear()
    rate = ratelimit.Rate(limit=5, seconds=3600)
    for _ in range(3):
        ratelimit.hit(key="shared-test", rate=rate)
    other = connections.create_connection("default")
    try:
        table = other.ops.quote_name(django_settings.CACHES["ratelimit"]["LOCATION"])
        with other.cursor() as cursor:
            query = f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s"  # noqa: S608
            cursor.execute(query, ["%shared-test"])
            assert cursor.fetchone()[0] == 1
    finally:
        other.close()
    assert ratelimit.hit(key="shared-test", rate=rate).count == 4


def _hammer(key: str, times: int, failures: list) -> None:
    try:
        rate = ratelimit.Rate(limit=1000, seconds=3600)
        for _ in range(times):
            ratelimit.hit(key=key, rate=rate)
    except Exception as exc:  # noqa: BLE001 - reported to the test thread
        failures.append(exc)
    finally:
        connections.close_all()


def _hits_from_many_connections_all_count() -> None:
    failures: list = []
    threads = [threading.Thread(target=_hammer, args=("race", 20, failures)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert ratelimit.hit(key="race", rate=ratelimit.Rate(limit=1000, seconds=3600)).count == 121


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
    reason="SQLite's in-memory test database locks whole tables across threads",
)
def test_concurrent_hits_on_the_database_are_never_lost(transactional_db) -> None:
    caches["ratelimit"].clear()
    _hits_from_many_connections_all_count()


def test_an_expired_count_is_never_brought_back_by_an_increment(db) -> None:
    store = caches["ratelimit"]
    store.set("expired", 3, timeout=-1)
    with pytest.raises(ValueError, match="not found"):
        store.incr("expired")
    assert store.get("expired") is None
    assert store.add("fresh", 1, timeout=60)
    assert store.incr("fresh") == 2
    assert store.incr("fresh", 3) == 5


def test_a_flood_of_new_keys_never_pushes_out_a_live_count(db, settings) -> None:
    store = ratelimit.DatabaseCounterCache(
        django_settings.CACHES["ratelimit"]["LOCATION"], {"OPTIONS": {"MAX_ENTRIES": 3}}
    )
    store.add("victim", 4, timeout=3600)
    for n in range(10):
        store.add(f"flood-{n}", 1, timeout=3600)
    assert store.get("victim") == 4


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - no server here: the Redis tests are skipped
        return False


needs_redis = pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1")


@pytest.fixture
def redis_store(settings):
    prefix = f"thrive-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **django_settings.CACHES,
        "ratelimit": {
            "BACKEND": "thrive.core.ratelimit.RedisCounterCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    store = caches["ratelimit"]
    client = store._cache.get_client()
    yield store
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@needs_redis
def test_with_redis_the_sixth_reset_is_refused_too(db, redis_store, mailoutbox) -> None:
    UserFactory(email="pat@example.org")
    client = Client()
    assert [_reset(client, "pat@example.org").status_code for _ in range(5)] == [302] * 5
    _assert_refused_page(_reset(client, "pat@example.org"))
    assert isinstance(redis_store, ratelimit.RedisCounterCache)
    prefix = django_settings.CACHES["ratelimit"]["KEY_PREFIX"]
    assert list(redis_store._cache.get_client().scan_iter(f"{prefix}:*"))


@needs_redis
def test_with_redis_concurrent_hits_are_never_lost(redis_store) -> None:
    _hits_from_many_connections_all_count()


@needs_redis
def test_with_redis_an_expired_count_is_never_brought_back(redis_store) -> None:
    assert redis_store.add("gone", 1, timeout=60)
    redis_store.delete("gone")
    with pytest.raises(ValueError, match="not found"):
        redis_store.incr("gone")
    assert redis_store.get("gone") is None


@needs_redis
def test_with_redis_a_requests_counts_are_kept_in_one_round_trip(redis_store) -> None:
    import redis

    often, seldom = ratelimit.Rate(limit=2, seconds=60), ratelimit.Rate(limit=5, seconds=3600)
    attempts = [("often", often), ("seldom", seldom)]
    sent = mock.patch.object(
        redis.Redis, "execute_command", autospec=True, side_effect=redis.Redis.execute_command
    )
    with sent as execute:
        assert ratelimit.hits(attempts) == [
            ratelimit.Count(count=1, retry_after=60),
            ratelimit.Count(count=1, retry_after=3600),
        ]
        assert ratelimit.hits(attempts) == [ratelimit.Count(count=2, retry_after=0)] * 2
        over, within = ratelimit.hits(attempts)
    assert execute.call_count == 3
    assert (over.count, within) == (3, ratelimit.Count(count=3, retry_after=0))
    assert 50 <= over.retry_after <= 60
    client = redis_store._cache.get_client()
    for key, rate in attempts:
        stored = redis_store.make_and_validate_key(key)
        assert rate.seconds - 10 <= client.ttl(stored) <= rate.seconds
        assert redis_store.get(key) == 3


@needs_redis
def test_with_redis_a_count_left_without_an_expiry_is_given_one(redis_store) -> None:
    client = redis_store._cache.get_client()
    client.set(redis_store.make_and_validate_key("stuck"), 7)
    (counted,) = ratelimit.hits([("stuck", ratelimit.Rate(limit=3, seconds=900))])
    assert counted == ratelimit.Count(count=8, retry_after=900)
    assert 0 < client.ttl(redis_store.make_and_validate_key("stuck")) <= 900


@needs_redis
def test_with_redis_an_api_submission_past_its_limit_is_refused(db, redis_store, settings) -> None:
    settings.THRIVE_RATE_LIMITS = {"api:submit": {"ip": "5/h", "user": "1/h"}}
    member = MembershipFactory()
    application = ApplicationFactory(organisation=member.organisation)
    api_url = f"/api/v1/applications/{application.pk}/submit"
    payload = {"idempotency_key": "k" * 20, "declaration": False}
    headers = _bearer(member.user)
    assert Client().post(api_url, payload, "application/json", headers=headers).status_code == 400
    refused = Client().post(api_url, payload, "application/json", headers=headers)
    _assert_refused_json(refused)
    assert 3500 <= int(refused["Retry-After"]) <= 3600
    assert "default-src 'self'" in refused["Content-Security-Policy"]
    assert refused["X-Content-Type-Options"] == "nosniff"


# --- the 429 page --------------------------------------------------------------------------


def test_the_too_many_attempts_page_passes_axe(live_server, page, settings) -> None:
    from thrive.testing.browser import assert_accessible

    settings.THRIVE_RATE_LIMITS = {"accounts:password_reset": {"ip": "1/h"}}
    for _ in range(2):
        page.goto(f"{live_server.url}/accounts/password-reset/")
        page.get_by_label("Email address").fill("pat@example.org")
        page.get_by_role("button", name="Send reset link").click()
    assert page.get_by_role("heading", level=1).inner_text() == TOO_MANY
    assert "try again" in page.inner_text("main")
    assert_accessible(page)


def test_the_api_document_declares_the_429_even_when_the_api_was_loaded_without_limits(
    db, settings
) -> None:
    from thrive.api.api import api

    operation = next(
        op
        for router_ in api._get_bound_routers()
        for path_view in router_.path_operations.values()
        for op in path_view.operations
        if (getattr(op, "url_name", None) or op.view_func.__name__) == "submit"
    )
    operation.response_models.pop(429, None)  # as if first loaded while limits were cleared
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert "429" in paths["/api/v1/applications/{application_id}/submit"]["post"]["responses"]

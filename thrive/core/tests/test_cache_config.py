"""CACHE_URL: one setting gives every process the same cache (and, with Redis, the same
rate-limit counts); production refuses a cache each process would keep for itself."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from thrive.core import cache_config
from thrive.core.tests.test_ratelimit import needs_redis
from thrive.core.tests.test_settings import _thrive

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own on the rate limits' server


def _caches(cache_url: str = "", rate_limit_url: str = "", production: bool = False, **kw):
    return cache_config.caches(
        cache_url=cache_url,
        rate_limit_url=rate_limit_url,
        production=production,
        allow_local=kw.get("allow_local", False),
    )


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://cache.internal:6379/2", "django.core.cache.backends.redis.RedisCache", None),
        ("db://shared_cache", "django.core.cache.backends.db.DatabaseCache", "shared_cache"),
        ("database", "django.core.cache.backends.db.DatabaseCache", "thrive_cache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", None),
    ],
)
def test_each_kind_of_cache_url_gives_its_backend(url, backend, location) -> None:
    config = cache_config.parse(url)
    assert config["BACKEND"] == backend
    if url.startswith("redis://"):
        assert config["LOCATION"] == "redis://cache.internal:6379/2"
    if location:
        assert config["LOCATION"] == location


def test_an_unknown_cache_url_is_refused_with_the_kinds_that_work() -> None:
    with pytest.raises(ImproperlyConfigured, match="redis://host:6379/0"):
        cache_config.parse("mongodb://somewhere")


def test_development_keeps_a_memory_cache_and_counts_rate_limits_in_the_database() -> None:
    caches = _caches()
    assert caches["default"]["BACKEND"].endswith("LocMemCache")
    assert caches["ratelimit"]["BACKEND"] == "thrive.core.ratelimit.DatabaseCounterCache"


def test_production_uses_the_database_cache_when_no_cache_url_is_set() -> None:
    caches = _caches(production=True)
    assert caches["default"]["BACKEND"].endswith("DatabaseCache")
    assert caches["default"]["LOCATION"] == "thrive_cache"


def test_production_refuses_a_cache_each_process_keeps_unless_allowed() -> None:
    with pytest.raises(ImproperlyConfigured, match="THRIVE_ALLOW_LOCAL_CACHE"):
        _caches("locmem://", production=True)
    allowed = _caches("locmem://", production=True, allow_local=True)
    assert allowed["default"]["BACKEND"].endswith("LocMemCache")


def test_a_redis_cache_url_also_holds_the_rate_limit_counts() -> None:
    caches = _caches("redis://:secret@cache.internal:6379/3")
    assert caches["ratelimit"] == {
        "BACKEND": "thrive.core.ratelimit.RedisCounterCache",
        "LOCATION": "redis://:secret@cache.internal:6379/3",
    }


def test_the_rate_limit_url_wins_over_the_cache_url() -> None:
    caches = _caches("redis://a.internal:6379/0", "redis://b.internal:6379/1")
    assert caches["ratelimit"]["LOCATION"] == "redis://b.internal:6379/1"
    assert caches["default"]["LOCATION"] == "redis://a.internal:6379/0"


def test_a_database_cache_url_leaves_the_rate_limits_in_their_own_table() -> None:
    caches = _caches("db://shared_cache")
    assert caches["ratelimit"]["LOCATION"] == "thrive_rate_limit_counts"


COUNT_ONE = (
    "from django.core.cache import cache, caches; "
    "cache.add('{key}', 0, 300); print(cache.incr('{key}')); "
    "print(type(caches['ratelimit']).__name__)"
)


def _two_processes_count(tmp_path: Path, cache_url: str) -> list[list[str]]:
    env = {
        "CACHE_URL": cache_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "THRIVE_VAR_DIR": str(tmp_path),
        "THRIVE_RATE_LIMIT_CACHE_URL": "",
    }
    made = _thrive("createcachetable", **env)
    assert made.returncode == 0, made.stderr
    code = COUNT_ONE.format(key=f"test-count-{uuid.uuid4().hex}")
    answers = []
    for _ in range(2):
        result = _thrive("shell", "--no-imports", "-c", code, **env)
        assert result.returncode == 0, result.stderr
        answers.append(result.stdout.split())
    return answers


def test_two_processes_share_one_count_in_the_database_cache(tmp_path) -> None:
    answers = _two_processes_count(tmp_path, "database")
    assert [count for count, _ in answers] == ["1", "2"]
    assert answers[0][1] == "DatabaseCounterCache"


@needs_redis
def test_two_processes_share_one_count_and_the_rate_limits_in_redis(tmp_path) -> None:
    answers = _two_processes_count(tmp_path, REDIS_URL)
    assert [count for count, _ in answers] == ["1", "2"]
    assert answers[0][1] == "RedisCounterCache"


def test_production_will_not_start_with_a_per_process_cache(tmp_path) -> None:
    result = _thrive(
        "check",
        THRIVE_ENV="production",
        THRIVE_VAR_DIR=str(tmp_path),
        SECRET_KEY="a-long-random-production-secret-" + "x9Yz" * 12,
        CACHE_URL="locmem://",
    )
    assert result.returncode != 0
    assert "keeps a separate cache in each process" in result.stderr

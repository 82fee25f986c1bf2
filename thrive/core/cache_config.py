"""The caches every process shares, from ``CACHE_URL`` (read by ``thrive/settings.py``).

``CACHE_URL`` sets the default cache (the to-do counts, anything a page keeps for a while):

- ``redis://host:6379/0`` (or ``rediss://``): Django's Redis cache;
- ``db://table_name``, or just ``database``: Django's database cache in that table (made by
  ``thrive migrate``);
- ``locmem://``: a memory cache in each process, for development (the default there).

Any other URL django-cache-url understands works too. Production refuses a cache each process
keeps for itself (``locmem://``), since web processes and machines would each see their own,
unless ``THRIVE_ALLOW_LOCAL_CACHE`` is set (one process only); unset, it uses the database.

The rate limits count in the ``ratelimit`` cache: Redis at ``THRIVE_RATE_LIMIT_CACHE_URL``,
else Redis at ``CACHE_URL`` when that is Redis, else a table in the database. So one Redis
setting makes every process share both.
"""

from __future__ import annotations

import django_cache_url
from django.core.exceptions import ImproperlyConfigured

DATABASE_TABLE = "thrive_cache"
RATE_LIMIT_TABLE = "thrive_rate_limit_counts"
_REDIS_SCHEMES = ("redis://", "rediss://")
_PER_PROCESS = "django.core.cache.backends.locmem.LocMemCache"


def parse(url: str) -> dict[str, object]:
    """One cache's settings from its URL; ``database`` alone is the database cache."""
    text = url.strip()
    if text in {"database", "db", "db://"}:
        text = f"db://{DATABASE_TABLE}"
    try:
        config = django_cache_url.parse(text)
    except Exception as error:  # the library raises a bare Exception
        raise ImproperlyConfigured(
            f"CACHE_URL {text!r} is not a cache address: {error}. Use redis://host:6379/0, "
            "db://table_name (or database) or locmem://."
        ) from error
    if config["BACKEND"].endswith(".DatabaseCache") and not config.get("LOCATION"):
        config["LOCATION"] = DATABASE_TABLE
    return config


def caches(
    *, cache_url: str, rate_limit_url: str, production: bool, allow_local: bool
) -> dict[str, dict[str, object]]:
    """The CACHES setting: the default cache and the rate limits' store."""
    default = parse(cache_url or ("database" if production else "locmem://"))
    if production and default["BACKEND"] == _PER_PROCESS and not allow_local:
        raise ImproperlyConfigured(
            f"CACHE_URL={cache_url} keeps a separate cache in each process, which the web "
            "processes would not share. Set CACHE_URL to redis://… or db://table_name, or "
            "THRIVE_ALLOW_LOCAL_CACHE=true to run one process only."
        )
    return {"default": default, "ratelimit": _rate_limit_store(rate_limit_url, cache_url)}


def _rate_limit_store(rate_limit_url: str, cache_url: str) -> dict[str, object]:
    if not rate_limit_url and cache_url.strip().startswith(_REDIS_SCHEMES):
        rate_limit_url = str(parse(cache_url)["LOCATION"])
    if rate_limit_url:
        return {"BACKEND": "thrive.core.ratelimit.RedisCounterCache", "LOCATION": rate_limit_url}
    return {
        "BACKEND": "thrive.core.ratelimit.DatabaseCounterCache",
        "LOCATION": RATE_LIMIT_TABLE,
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }

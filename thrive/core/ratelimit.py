"""Rate limits on the actions worth abusing, counted in a store every web process shares.

``THRIVE_RATE_LIMITS`` maps a URL name to the rates counted for it: the name of a page
(``accounts:password_reset``) or of an API operation (``api:ask``, the operation's own name,
also for a path that shares its address with a read). Each rate is ``COUNT/PERIOD`` (``5/h``,
``30/15m``) for one scope:

- ``ip``: the client's address, read as the lockout reads it (``THRIVE_PROXY_COUNT``);
- ``user``: the signed-in person, by session or by API token;
- ``email``: the email address or username the form is about (the account to reset, the
  colleague to invite), any case.

Only changes are counted (POST and the other unsafe methods); reading a page never is. Every
attempt counts, whatever its outcome, so parallel requests cannot slip past the count. Past a
limit the answer is 429 with ``Retry-After``: the "You have tried too many times" page, or a
structured JSON error under ``/api/``. Nothing of the request reaches the view.

Counts live in the ``ratelimit`` cache: a table in the database by default, or Redis. Both
backends here increment atomically across processes and never bring back a count that
expired between the check and the increment, which Django's own backends do not promise.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import ipaddress
import json
import logging
import math
import pickle  # Django's database cache stores values pickled; only the service writes them  # nosec B403
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CACHE_ALIAS = "ratelimit"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
_IDENTITY_FIELDS = ("email", "username")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


@dataclass(frozen=True)
class Count:
    count: int
    retry_after: int


@lru_cache(maxsize=256)
def parse_rate(text: str) -> Rate:
    """Read ``COUNT/PERIOD``: ``5/h`` is five an hour, ``30/15m`` thirty in 15 minutes."""
    match = _RATE.match(text.strip())
    if not match or int(match.group(1)) < 1 or match.group(2) == "0":
        raise ValueError(f"Malformed rate {text!r}: write COUNT/PERIOD, like 5/h or 30/15m")
    multiple = int(match.group(2) or 1)
    return Rate(limit=int(match.group(1)), seconds=multiple * _PERIODS[match.group(3)])


def client_ip(request: HttpRequest) -> str:
    """The client's address: the connection's, or the one the outermost trusted proxy saw.

    With ``THRIVE_PROXY_COUNT`` proxies in front, each appends the address it was reached
    from to X-Forwarded-For, so the client is that many entries from the right; anything
    further left was written by the client and is ignored. The lockout reads addresses
    through this function too (``AXES_CLIENT_IP_CALLABLE``).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "THRIVE_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _signed_in_user(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.pk)
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token_user = bearer_user(request, header[7:].strip())
        if token_user is not None:
            return str(token_user.pk)
    return ""


def bearer_user(request: HttpRequest, secret: str) -> Any:
    """The user the bearer token belongs to, or None, read once a request: the rate limit
    and the API's authentication both ask."""
    known = getattr(request, "_thrive_bearer", None)
    if known is not None and known[0] == secret:
        return known[1]
    read_token = import_string(settings.THRIVE_BEARER_USER)
    token_user = read_token(secret=secret)
    request._thrive_bearer = (secret, token_user)  # type: ignore[attr-defined]
    return token_user


def _identity(request: HttpRequest) -> str:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return ""
        data = data if isinstance(data, dict) else {}
    else:
        data = request.POST
    for field in _IDENTITY_FIELDS:
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()[:254]
    return ""


SCOPES: dict[str, Callable[[HttpRequest], str]] = {
    "ip": client_ip,
    "user": _signed_in_user,
    "email": _identity,
}


def hit(*, key: str, rate: Rate) -> Count:
    """Count one attempt under the key; the window starts at its first attempt."""
    return hits([(key, rate)])[0]


def hits(attempts: list[tuple[str, Rate]]) -> list[Count]:
    """Count one attempt under each key, each with its own rate.

    Redis counts them all in one round trip; other stores one key at a time.
    """
    store = caches[CACHE_ALIAS]
    if isinstance(store, RedisCounterCache):
        return store.count_attempts(attempts)
    return [_hit_one(store, key, rate) for key, rate in attempts]


def _hit_one(store: Any, key: str, rate: Rate) -> Count:
    """Count in a store with ``add`` and ``incr`` only. The time left in the window is looked
    up only for an attempt over the limit."""
    for _ in range(3):
        if store.add(key, 1, timeout=rate.seconds):
            store.set(f"{key}:until", time.time() + rate.seconds, timeout=rate.seconds)
            return Count(count=1, retry_after=rate.seconds)
        try:
            count = store.incr(key)
        except ValueError:
            continue  # it expired between the two calls: start a new window
        if count <= rate.limit:
            return Count(count=count, retry_after=0)
        until = store.get(f"{key}:until")
        left = math.ceil(until - time.time()) if until else rate.seconds
        return Count(count=count, retry_after=max(1, min(left, rate.seconds)))
    raise RuntimeError(f"Could not count an attempt under {key}")


def _key(name: str, scope: str, value: str) -> str:
    # Hashed, so no address or email address is stored in the clear in the counts' table.
    digest = hashlib.sha256(f"{name}\0{scope}\0{value}".encode()).hexdigest()[:40]
    return f"{settings.THRIVE_RATE_LIMIT_PREFIX}:{digest}"


def check(*, request: HttpRequest, name: str, rates: dict[str, str]) -> int:
    """Count the request under each scope's key; return seconds to wait, 0 when within limits."""
    counted = []
    for scope, text in rates.items():
        value = SCOPES[scope](request)
        if value:
            counted.append((scope, text, _key(name, scope, value), parse_rate(text)))
    wait = 0
    found = hits([(key, rate) for _scope, _text, key, rate in counted])
    for (scope, text, _digest, rate), count in zip(counted, found, strict=True):
        if count.count > rate.limit:
            logger.warning("Rate limit reached: %s by %s (%s)", name, scope, text)
            wait = max(wait, count.retry_after)
    return wait


def operation_name(request: HttpRequest, view: Callable[..., Any]) -> str:
    """The URL name of the page, or of the API operation for this method, that will answer."""
    match = request.resolver_match
    if match is None:
        return ""
    if match.namespace == "api":
        # A django-ninja path serves several operations (GET list, POST create) under the
        # first one's URL name; name the one this method reaches, as reverse() knows it.
        scope = inspect.getclosurevars(view).nonlocals if inspect.isfunction(view) else {}
        path_view = scope.get("self")
        for operation in getattr(path_view, "operations", ()):
            if request.method in operation.methods:
                own = getattr(operation, "url_name", None) or operation.view_func.__name__
                return f"api:{own}"
    return match.view_name


def _wait_words(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    return "1 hour" if hours == 1 else f"{hours} hours"


def too_many_attempts(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 answer: a page in the service's style, or a JSON error for the API."""
    wait = _wait_words(retry_after)
    if request.path.startswith("/api/"):
        # lazy: start-up (the API's error schema loads django-ninja)
        from thrive.core.api.errors import error_body

        message = f"You have tried too many times. Try again in {wait}."
        response: HttpResponse = JsonResponse(error_body("rate_limited", message), status=429)
    else:
        again = timezone.localtime() + timedelta(seconds=retry_after)
        response = render(request, "429.html", {"wait": wait, "again": again}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Refuse with 429 a change past its limit, before the view sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method in SAFE_METHODS:
            return None
        name = operation_name(request, view)
        rates = settings.THRIVE_RATE_LIMITS.get(name)
        if not rates:
            return None
        wait = check(request=request, name=name, rates=rates)
        return too_many_attempts(request, wait) if wait else None


# --- the stores ---------------------------------------------------------------------------


class DatabaseCounterCache(DatabaseCache):
    """Django's database cache, with an increment that is atomic across processes.

    Django's own increment reads then writes, so two processes can both read 4 and both
    write 5. Here the row is written first (a no-op update), which takes its lock in
    PostgreSQL and the database's write lock in SQLite, then read and written again in the
    same transaction. Culling drops only expired counts: a flood of new keys must not push
    out the live count of an address or account that is being limited.
    """

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key = quote(self._table), quote("cache_key")
        value_col, expires = quote("value"), quote("expires")
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} "  # noqa: S608 # names are quoted identifiers from settings  # nosec B608
                f"WHERE {cache_key} = %s AND {expires} > %s",
                [key, now],
            )
            if cursor.rowcount != 1:
                raise ValueError(f"Key '{key}' not found.")
            cursor.execute(f"SELECT {value_col} FROM {table} WHERE {cache_key} = %s", [key])  # noqa: S608 # as above  # nosec B608
            stored = connection.ops.process_clob(cursor.fetchone()[0])
            # The service pickled this value itself (it is only ever an integer count).
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 # our own data  # nosec B301
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_col} = %s WHERE {cache_key} = %s",  # noqa: S608 # as above  # nosec B608
                [pickled, key],
            )
        return value

    def _cull(self, db: str, cursor: Any, now: Any, num: int) -> None:
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        expires = connection.ops.quote_name("expires")
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608 # as above  # nosec B608
            [connection.ops.adapt_datetimefield_value(now)],
        )


_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""

# Each key's count goes up by one; a new count (or one left without an expiry) expires at the
# end of its window, all in one step. Gives each count and the seconds left in its window.
_COUNT_ATTEMPTS = """
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local left = redis.call('TTL', key)
  if count == 1 or left < 0 then
    redis.call('EXPIRE', key, ARGV[i])
    left = tonumber(ARGV[i])
  end
  out[2 * i - 1] = count
  out[2 * i] = left
end
return out
"""


class RedisCounterCache(RedisCache):
    """Django's Redis cache, with counts that never revive an expired count.

    Django checks that the key exists and then increments it in two commands; a key that
    expires in between comes back as a count with no expiry, which would limit that address
    for ever. One script does both here. ``count_attempts`` counts a request's attempts under
    all its keys, and reads the time left in their windows, in one script: one round trip.
    """

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        value = client.eval(_INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)

    def count_attempts(self, attempts: list[tuple[str, Rate]]) -> list[Count]:
        if not attempts:
            return []
        keys = [self.make_and_validate_key(key) for key, _rate in attempts]
        script = self._count_script()
        answer = script(keys=keys, args=[rate.seconds for _key, rate in attempts])
        counts = []
        for n, (_key, rate) in enumerate(attempts):
            count, left = int(answer[2 * n]), int(answer[2 * n + 1])
            wait = 0 if count <= rate.limit else max(1, min(left, rate.seconds))
            counts.append(Count(count=count, retry_after=rate.seconds if count == 1 else wait))
        return counts

    def _count_script(self) -> Any:
        """The counting script, registered once a process with a client kept for it: Django
        makes a new client, and its table of replies, for every command."""
        script = getattr(self, "_counting", None)
        if script is None:
            client = self._cache.get_client(write=True)
            script = self._counting = client.register_script(_COUNT_ATTEMPTS)
        return script

"""The errors and limits every API operation declares in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from ninja.constants import NOT_SET

from thrive.accounts.api_auth import OptionalAuth
from thrive.core.api.errors import ErrorOut

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _operations(api: Any) -> Iterator[Any]:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _auth_callbacks(api: Any, operation: Any) -> list[Any]:
    auth = api.auth if operation.auth_param is NOT_SET else operation.auth_param
    callbacks = auth if isinstance(auth, list | tuple) else [auth]
    return [c for c in callbacks if c is not None]


def _signs_in(api: Any, operation: Any) -> bool:
    """Whether the operation needs credentials (public ones use ``PUBLIC_AUTH`` or none)."""
    return any(not isinstance(c, OptionalAuth) for c in _auth_callbacks(api, operation))


def standard_errors(api: Any, operation: Any) -> set[int]:
    """The error statuses the API's own handlers may answer this operation with.

    Every address under /api/ that names no operation (an id that is not a number) is a
    JSON 404, and a method the address does not take a 405; invalid parameters or bodies
    are 422; any operation that reads a bearer token answers 401 to one that is not valid;
    operations that need credentials answer 401 without them and 403 when the policy (or
    the session's CSRF check) refuses; changes may break a domain rule or send a body that
    is not JSON (400) or one over the request size cap (413, ``upload_limits``).
    """
    codes = {404, 405}
    if operation.models:
        codes.add(422)
    if _auth_callbacks(api, operation):
        codes.add(401)
    if _signs_in(api, operation):
        codes.add(403)
    if UNSAFE_METHODS & set(operation.methods):
        codes |= {400, 413}
    return codes


def declare_standard_errors(api: Any) -> None:
    """Declare on every operation of ``api`` the errors it can answer, in the error schema."""
    for operation in _operations(api):
        models = operation.response_models
        lone = next(iter(models)) if len(models) == 1 else 200
        if lone != 200 and lone < 400:
            # django-ninja gives a lone declared status to every plain return value; with the
            # errors added it would answer 200, so the operation must say its own status.
            raise ImproperlyConfigured(
                f"{operation.view_func.__name__}: return Status({lone}, ...) and declare "
                f"its errors too, e.g. response={{{lone}: ..., **ERRORS_WRITE}}"
            )
        for code in sorted(standard_errors(api, operation) - set(models)):
            models[code] = operation._create_response_model(ErrorOut)


def document_limits(api: Any, *, bound: bool = False) -> None:
    """Declare a 429, in the API's error schema, on every limited API operation: on the
    routers' own operations as the API is built, or (``bound``) on the copies django-ninja
    serves and documents, as the document is read."""
    routers = api._get_bound_routers() if bound else [router_ for _p, router_ in api._routers]
    for router_ in routers:
        for path_view in router_.path_operations.values():
            for operation in path_view.operations:
                own = getattr(operation, "url_name", None) or operation.view_func.__name__
                if settings.THRIVE_RATE_LIMITS.get(f"api:{own}"):
                    operation.response_models[429] = operation._create_response_model(ErrorOut)


# The headers each error status sends, as the handlers in thrive/api/api.py and the rate
# limiter (thrive/core/ratelimit.py) set them.
ERROR_HEADERS: dict[str, dict[str, Any]] = {
    "401": {
        "WWW-Authenticate": {
            "description": '`Bearer`, or `Bearer error="invalid_token"` when the token sent '
            "is not valid (code `invalid_token`).",
            "schema": {"type": "string"},
        }
    },
    "405": {
        "Allow": {
            "description": "The methods this address takes.",
            "schema": {"type": "string"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


def declare_response_headers(document: Any) -> Any:
    """Add to every declared error response of ``document`` the headers it is sent with."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                headers = ERROR_HEADERS.get(str(status))
                if headers:
                    response.setdefault("headers", {}).update(headers)
    return document

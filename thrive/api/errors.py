"""Structured API errors: a code, a message and, for invalid input, messages per field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from ninja import Schema
from ninja.constants import NOT_SET


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = {}


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, errors: dict[str, list[str]] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}


def error_body(
    code: str, message: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}}


ERRORS_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
ERRORS_WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _operations(api: Any) -> Iterator[Any]:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _signs_in(api: Any, operation: Any) -> bool:
    """Whether the operation needs credentials (public ones use ``PUBLIC_AUTH`` or none)."""
    from thrive.api.auth import OptionalAuth

    auth = api.auth if operation.auth_param is NOT_SET else operation.auth_param
    callbacks = auth if isinstance(auth, list | tuple) else [auth]
    return any(c is not None and not isinstance(c, OptionalAuth) for c in callbacks)


def standard_errors(api: Any, operation: Any) -> set[int]:
    """The error statuses the API's own handlers may answer this operation with.

    Every address under /api/ that names no operation (an id that is not a number) is a
    JSON 404; invalid parameters or bodies are 422; operations that need credentials
    answer 401 without them and 403 when the policy refuses; changes may break a domain
    rule (400).
    """
    codes = {404}
    if operation.models:
        codes.add(422)
    if _signs_in(api, operation):
        codes |= {401, 403}
    if UNSAFE_METHODS & set(operation.methods):
        codes.add(400)
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

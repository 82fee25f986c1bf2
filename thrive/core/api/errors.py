"""Structured API errors: a code, a message and, for invalid input, messages per field."""

from __future__ import annotations

from typing import Any

from ninja import Schema


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

"""The current request's id, for logs and audit events written deep in services."""

from __future__ import annotations

import contextvars

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "thrive_request_id", default=""
)

"""API for monitoring."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["monitoring"])

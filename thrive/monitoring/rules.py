"""Policy rules for monitoring: who may do what. Registered with ``thrive.core.policy``."""

from __future__ import annotations

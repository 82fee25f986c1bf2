"""Policy rules for awards: who may do what. Registered with ``thrive.core.policy``."""

from __future__ import annotations

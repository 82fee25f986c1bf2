"""Policy rules for assessment: who may do what. Registered with ``thrive.core.policy``."""

from __future__ import annotations

"""Demo monitoring data."""

from __future__ import annotations

from thrive.core.seeding import SeedContext


def seed(ctx: SeedContext) -> None:
    """Nothing to seed yet."""

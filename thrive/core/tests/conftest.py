"""Fixtures for the tests that try every route."""

from __future__ import annotations

import pytest

from thrive.testing.routes import World, make_world


@pytest.fixture
def world(db) -> World:
    """The objects every route is tried against (each app's ``routes.prepare`` adds its own)."""
    return make_world()

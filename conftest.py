"""Test-wide fixtures."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("THRIVE_ENV", "test")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run queued tasks at once (the worker path has its own test)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

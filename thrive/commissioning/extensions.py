"""Pages about an intention that higher apps add (market analysis from open data, §2.6).

A higher app adds an ``IntentionPage`` to ``INTENTION_PAGES`` from its ``AppConfig.ready()``;
commissioning routes it under the intention's address, in its own URL namespace, and links it
from the intention's page, without importing the app that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse

from thrive.core.extensions import Slot


@dataclass(frozen=True)
class IntentionPage:
    """A page under ``commissioning/intentions/<id>/``: ``route`` ends with a slash."""

    route: str
    view: Callable[..., HttpResponse]
    name: str
    label: str


INTENTION_PAGES: Slot[IntentionPage] = Slot("intention pages")

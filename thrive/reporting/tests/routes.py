"""What each kind of user gets from the reporting pages."""

from __future__ import annotations

from typing import Any

from thrive.testing.routes import (
    AS_GET,
    PROVIDER_ADMIN,
    PROVIDER_MEMBER,
    Expect,
    only,
)

READERS = ["strategy_group", "council_admin", "commissioner", "finance_officer", "system_admin"]
STAFF = [*READERS, "procurement_officer", "assessor"]
FEEDBACK_READERS = ["strategy_group", "commissioner", "system_admin"]


def prepare(world: Any) -> None:
    """A decided application of the world's organisation, to give feedback on."""
    from thrive.reporting.tests.factories import DecidedApplicationFactory

    world.decided_application = DecidedApplicationFactory(organisation=world.organisation)


ROUTES = {
    "reporting:dashboard": only(*READERS),
    "reporting:export": only(*READERS, kwargs=lambda w: {"key": "directorate"}, shared=True),
    "reporting:outcomes": only(*READERS),
    "reporting:indicators": only(*READERS),
    "reporting:who_funds_whom": only(*READERS),
    "reporting:annual_index": only(*READERS),
    "reporting:annual": only(*READERS, kwargs=lambda w: {"year": 2025}, shared=True),
    "reporting:annual_pdf": only(*READERS, kwargs=lambda w: {"year": 2025}, shared=True),
    "reporting:feedback": only(
        PROVIDER_ADMIN,
        PROVIDER_MEMBER,
        kwargs=lambda w: {"application_id": w.decided_application.pk},
        post=AS_GET,
    ),
    "reporting:feedback_comments": only(*FEEDBACK_READERS),
    "reporting:feedback_comments_export": only(*FEEDBACK_READERS),
    "reporting:guidance": only(*STAFF),
    "reporting:guidance_stage": only(*STAFF, kwargs=lambda w: {"stage": "outcomes"}, shared=True),
}

__all__ = ["ROUTES", "Expect"]

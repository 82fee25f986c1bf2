"""The API fuzzed from its own OpenAPI document: never a 5xx, every answer as documented.

Schemathesis generates requests for every operation in ``/api/openapi.json``, valid and
invalid, and sends them as anonymous, a provider and each staff role, against the objects
the route table is tried against (half of the generated ids in addresses are swapped for
those objects' ids, so that changes reach real records). Every answer must be declared in
the document: its status code, its content type and its body's schema.

The run is deterministic (a fixed seed, derandomised generation). ``THRIVE_FUZZ_EXAMPLES``
sets the examples per operation and actor: a few in ``make test``; for a thorough run,

    THRIVE_FUZZ_EXAMPLES=25 .venv/bin/pytest -n 2 thrive/api/tests/test_fuzz.py
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from thrive.accounts import services as account_services
from thrive.testing.routes import ANONYMOUS, PROVIDER_ADMIN, STAFF_ROLES, World, make_world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("THRIVE_FUZZ_EXAMPLES", "3"))
FUZZ_ACTORS = [ANONYMOUS, PROVIDER_ADMIN, *STAFF_ROLES]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The object each address's parameter is swapped for, by the path's section and its name.
REAL_IDS: dict[tuple[str, str], Callable[[World], Any]] = {
    ("organisations", "organisation_id"): lambda w: w.organisation.pk,
    ("pots", "pot_id"): lambda w: w.pot.pk,
    ("needs", "need_id"): lambda w: w.need.pk,
    ("intentions", "reference"): lambda w: w.published.reference,
    ("opportunities", "opportunity_id"): lambda w: w.opportunity.pk,
    ("applications", "application_id"): lambda w: w.draft.pk,
    ("applications", "section_key"): lambda w: w.draft.form_version.sections[0]["key"],
    ("assessment", "opportunity_id"): lambda w: w.assessment_round.pk,
    ("assessment", "application_id"): lambda w: w.assessment_application.pk,
    ("assessment", "decision_id"): lambda w: w.assessment_decision.pk,
    ("awards", "reference"): lambda w: w.award_offered.reference,
    ("monitoring", "plan_id"): lambda w: w.monitoring_plan.pk,
    ("monitoring", "return_id"): lambda w: w.due_return.pk,
}


class KeepConnectionWSGI:
    """Django's WSGI handler, keeping the test's database connection (as Django's test client)."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 14,
        # Health checks judge how the data was generated and how fast, not the API: on a
        # busy machine they would fail a run whose every answer was right.
        "suppress-health-check": ["all"],
        "generation": {
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
            "no-shrink": True,
        },
        "phases": {"stateful": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", KeepConnectionWSGI(), config=CONFIG)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[World, dict]]:
    """The route table's objects and a token per actor, made once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = make_world()
        tokens: dict[str, str | None] = {ANONYMOUS: None}
        for actor in FUZZ_ACTORS[1:]:
            _, tokens[actor] = account_services.create_api_token(
                user=world.users[actor], name="Fuzz"
            )
        yield world, tokens
        transaction.set_rollback(True)


def _use_real_ids(case: Any, world: World) -> None:
    section = case.path.removeprefix("/api/v1/").split("/")[0]
    parameters = case.path_parameters or {}
    for name, value in parameters.items():
        real = REAL_IDS.get((section, name))
        if real is None:
            continue
        if (isinstance(value, int) and value % 2 == 0) or (
            isinstance(value, str) and len(value) % 2 == 0
        ):
            parameters[name] = real(world)


def _forget_rate_limits() -> None:
    # Counts in the database cache are undone with each case; a Redis store is emptied.
    if "ratelimit" in django_settings.CACHES:
        caches["ratelimit"].clear()


@pytest.mark.parametrize("actor", FUZZ_ACTORS)
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case: Any, actor: str, fuzz_world: Any) -> None:
    world, tokens = fuzz_world
    headers = {"Authorization": f"Bearer {tokens[actor]}"} if tokens[actor] else {}
    _use_real_ids(case, world)
    with transaction.atomic():
        _forget_rate_limits()
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)

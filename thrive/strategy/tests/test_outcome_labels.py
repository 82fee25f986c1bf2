"""Outcome labels name the code once: "NI6: Participation…", never "NI6: NI 6: …"."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from thrive.accounts.tests.factories import CouncilFactory
from thrive.strategy.defaults import ensure_default_framework, title_without_code
from thrive.strategy.models import Outcome


@pytest.mark.parametrize(
    ("code", "title", "expected"),
    [
        (
            "NI6",
            "NI 6: participation in regular volunteering",
            "Participation in regular volunteering",
        ),
        ("NI7", "ni7:  an environment", "An environment"),
        ("PO1", "A cleaner, greener county", "A cleaner, greener county"),
        ("DLC", "Note: developing communities", "Note: developing communities"),
        ("NI6", "NI 6:", "NI 6:"),
    ],
)
def test_a_title_loses_only_a_leading_copy_of_its_code(code, title, expected) -> None:
    assert title_without_code(code, title) == expected


def test_no_default_outcome_label_repeats_its_code(db) -> None:
    council = CouncilFactory()
    for outcome in ensure_default_framework(council):
        words = outcome.label.replace(" ", "").lower()
        assert words.count(outcome.code.lower()) == 1, outcome.label
    assert Outcome.objects.get(council=council, code="NI6").label == (
        "NI6: Participation in regular volunteering"
    )


def test_the_migration_takes_the_code_out_of_stored_titles(db) -> None:
    council = CouncilFactory()
    ensure_default_framework(council)
    Outcome.objects.filter(council=council, code="NI6").update(
        title="NI 6: participation in regular volunteering"
    )
    migration = importlib.import_module(
        "thrive.strategy.migrations.0006_outcome_titles_without_their_code"
    )
    migration.forwards(apps, None)
    assert Outcome.objects.get(council=council, code="NI6").title == (
        "Participation in regular volunteering"
    )

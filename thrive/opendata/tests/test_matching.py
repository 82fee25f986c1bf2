"""Recipients of imported grants: matched by identifier with an agreeing name, else held."""

from __future__ import annotations

import pytest

from thrive.opendata.models import RecipientStatus
from thrive.opendata.recipients import NAME_RULES, RecipientMatcher, names_agree, normalise_name
from thrive.organisations.models import Identifier, Organisation

# One example for each normalising rule: (rule, published, register).
RULE_EXAMPLES = {
    "apostrophes": ("St Mary’s Hall", "St Marys Hall"),
    "ampersand": ("Arts & Crafts Group", "Arts and Crafts Group"),
    "punctuation": ("Hope-Street (Leeds) Group.", "Hope Street Leeds Group"),
    "legal form": ("Hilltop Arts Community Interest Company", "Hilltop Arts CIC"),
    "the": ("The Riverside Lunch Club", "Riverside Lunch Club"),
    "spaces": ("Riverside   Lunch\tClub", "Riverside Lunch Club"),
    "charity or trust suffix": ("Westfield Arts Trust", "Westfield Arts Charity"),
}


def test_every_rule_has_an_example() -> None:
    assert {label for label, _pattern, _replacement in NAME_RULES} == set(RULE_EXAMPLES)


@pytest.mark.parametrize("rule", sorted(RULE_EXAMPLES))
def test_each_rule_makes_the_names_equal(rule: str) -> None:
    published, register = RULE_EXAMPLES[rule]
    assert normalise_name(published) == normalise_name(register)


@pytest.mark.parametrize(
    ("published", "register"),
    [
        ("Riverside Lunch Club Limited", "Riverside Lunch Club Ltd"),
        ("Age UK Leeds", "AGE UK LEEDS CIO"),
        ("Riverside Lunch Clubb", "Riverside Lunch Club"),  # a slip of spelling
    ],
)
def test_names_that_agree(published: str, register: str) -> None:
    assert names_agree(normalise_name(published), {normalise_name(register)})


@pytest.mark.parametrize(
    ("published", "register"),
    [
        ("Hilltop Boxing Club", "Riverside Lunch Club"),
        ("Age UK Leeds and District", "Age UK Leeds"),
        ("Trust", "Charity"),  # a suffix alone is kept, so these stay different
    ],
)
def test_names_that_disagree(published: str, register: str) -> None:
    assert not names_agree(normalise_name(published), {normalise_name(register)})


@pytest.fixture
def known(db) -> Organisation:
    organisation = Organisation.objects.create(
        name="Riverside Lunch Club CIO", other_names="Riverside Lunches"
    )
    Identifier.objects.create(
        organisation=organisation, scheme="GB-CHC", value="9990001", org_id="GB-CHC-9990001"
    )
    return organisation


def test_identifier_and_agreeing_name_match(known: Organisation) -> None:
    matcher = RecipientMatcher(source="test.json")
    assert matcher.match({"id": "GB-CHC-9990001", "name": "The Riverside Lunch Club"}) == (
        known.pk,
        RecipientStatus.MATCHED,
    )
    assert matcher.match({"id": "GB-CHC-9990001", "name": "Riverside Lunches"})[0] == known.pk


def test_identifier_with_another_name_is_held(known: Organisation) -> None:
    matcher = RecipientMatcher(source="test.json")
    assert matcher.match({"id": "GB-CHC-9990001", "name": "Hilltop Boxing Club"}) == (
        None,
        RecipientStatus.HELD,
    )
    assert matcher.held == 1
    assert Organisation.objects.count() == 1


def test_name_alone_never_attaches(known: Organisation) -> None:
    matcher = RecipientMatcher(source="test.json")
    pk, status = matcher.match({"id": "GB-CHC-9990002", "name": "Riverside Lunch Club CIO"})
    assert status == RecipientStatus.CREATED
    assert pk != known.pk


def test_a_new_recipient_is_added_once(db) -> None:
    matcher = RecipientMatcher(source="test.json")
    recipient = {"id": "GB-CHC-9990003", "name": "Hilltop Arts"}
    first = matcher.match(recipient)
    assert first[1] == RecipientStatus.CREATED
    assert matcher.match(recipient) == first
    assert matcher.created == 1

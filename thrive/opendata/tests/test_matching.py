"""Recipients of imported grants: matched by identifier with an agreeing name, else held."""

from __future__ import annotations

import io
import json

import pytest

from thrive.audit.models import AuditEvent
from thrive.audit.services import verify_chain
from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.opendata.importing import import_360giving
from thrive.opendata.models import ExternalGrant, ImportRun, RecipientStatus
from thrive.opendata.recipients import NAME_RULES, RecipientMatcher, names_agree, normalise_name
from thrive.organisations.models import DuplicateCandidate, Identifier, Organisation
from thrive.organisations.seed import is_made_up
from thrive.organisations.tests.factories import IdentifierFactory

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
        organisation=organisation, scheme="GB-CHC", value="1900001", org_id="GB-CHC-1900001"
    )
    return organisation


def test_identifier_and_agreeing_name_match(known: Organisation) -> None:
    matcher = RecipientMatcher(source="test.json")
    assert matcher.match({"id": "GB-CHC-1900001", "name": "The Riverside Lunch Club"}) == (
        known.pk,
        RecipientStatus.MATCHED,
    )
    assert matcher.match({"id": "GB-CHC-1900001", "name": "Riverside Lunches"})[0] == known.pk


def test_identifier_with_another_name_is_held(known: Organisation) -> None:
    matcher = RecipientMatcher(source="test.json")
    assert matcher.match({"id": "GB-CHC-1900001", "name": "Hilltop Boxing Club"}) == (
        None,
        RecipientStatus.HELD,
    )
    assert matcher.held == 1
    assert Organisation.objects.count() == 1


def test_a_merged_record_leads_to_the_record_kept(known: Organisation) -> None:
    merged = Organisation.objects.create(name="Hilltop Lunches", merged_into=known)
    Identifier.objects.create(
        organisation=merged, scheme="GB-CHC", value="1900005", org_id="GB-CHC-1900005"
    )
    matcher = RecipientMatcher(source="test.json")
    for name in ("Hilltop Lunches", "Riverside Lunch Club"):
        assert matcher.match({"id": "GB-CHC-1900005", "name": name})[0] == known.pk


def test_a_charity_number_field_finds_the_record(known: Organisation) -> None:
    matcher = RecipientMatcher(source="test.json")
    recipient = {"id": "360G-x-ORG-1", "name": "Riverside Lunch Club", "charityNumber": "1900001"}
    assert matcher.match(recipient) == (known.pk, RecipientStatus.MATCHED)


def test_name_alone_never_attaches(known: Organisation) -> None:
    matcher = RecipientMatcher(source="test.json")
    pk, status = matcher.match({"id": "GB-CHC-1900002", "name": "Riverside Lunch Club CIO"})
    assert status == RecipientStatus.CREATED
    assert pk != known.pk


def test_a_new_recipient_is_added_once(db) -> None:
    matcher = RecipientMatcher(source="test.json")
    recipient = {"id": "GB-CHC-1900003", "name": "Hilltop Arts"}
    first = matcher.match(recipient)
    assert first[1] == RecipientStatus.CREATED
    assert matcher.match(recipient) == first
    assert matcher.created == 1


def _grant(number: int, recipient: dict) -> dict:
    return {
        "id": f"360G-test-{number:04d}",
        "title": "Community lunch club",
        "currency": "GBP",
        "amountAwarded": 1000,
        "awardDate": "2025-06-01",
        "recipientOrganization": [recipient],
        "fundingOrganization": [{"id": "GB-CHC-1999999", "name": "Another Trust"}],
    }


def _import(grants: list[dict]):
    data = json.dumps({"grants": grants}).encode()
    return import_360giving(stream=io.BytesIO(data), filename="other.json")


def test_import_holds_a_recipient_whose_name_disagrees(known: Organisation) -> None:
    _import(
        [
            _grant(1, {"id": "GB-CHC-1900001", "name": "Riverside Lunch Club"}),
            _grant(2, {"id": "GB-CHC-1900001", "name": "Hilltop Boxing Club"}),
            _grant(3, {"id": "GB-CHC-1900001", "name": "Hilltop Boxing Club"}),
        ]
    )
    grants = {g.grant_id: g for g in ExternalGrant.objects.all()}
    assert grants["360G-test-0001"].recipient == known
    assert grants["360G-test-0001"].recipient_status == RecipientStatus.MATCHED
    for held in ("360G-test-0002", "360G-test-0003"):
        assert grants[held].recipient is None
        assert grants[held].recipient_status == RecipientStatus.HELD
    assert ImportRun.objects.get().held_for_review == 2
    assert Organisation.objects.count() == 1


def test_import_adds_new_recipients_in_bulk_audited_with_duplicates_raised(db) -> None:
    near = Organisation.objects.create(name="Westfield Youth Club", postcode="ZZ99 1AA")
    recipients = [
        {"id": f"GB-CHC-{1_900_100 + n}", "name": f"Made Up Group {n}", "postalCode": f"ZZ99 {n}AB"}
        for n in range(1, 8)
    ]
    recipients.append(
        {"id": "GB-CHC-1900200", "name": "Westfield Youth Club", "postalCode": "zz991aa"}
    )
    result = _import([_grant(n, r) for n, r in enumerate(recipients, 1)])
    assert result.organisations_created == len(recipients)
    grants = ExternalGrant.objects.select_related("recipient")
    assert {g.recipient_status for g in grants} == {RecipientStatus.CREATED}
    assert {g.recipient.identifiers.get().org_id for g in grants} == {r["id"] for r in recipients}
    assert AuditEvent.objects.filter(action="organisations.organisation.imported").count() == 8
    pair = DuplicateCandidate.objects.get()
    assert {pair.first, pair.second} == {
        near,
        Organisation.objects.get(name="Westfield Youth Club", source="open_data"),
    }
    assert "same postcode ZZ99 1AA" in pair.reasons
    assert verify_chain()[1] is None


def test_seeded_and_factory_identifiers_cannot_be_real_organisations(db) -> None:
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=5, show_progress=False))
    IdentifierFactory.create_batch(3)
    org_ids = list(Identifier.objects.values_list("org_id", flat=True))
    assert len(org_ids) > 20
    assert [org_id for org_id in org_ids if not is_made_up(org_id)] == []


@pytest.mark.parametrize(
    "org_id",
    ["GB-CHC-1090095", "GB-CHC-1100000", "GB-COH-07000000", "GB-MPR-30000R", "GB-SHPE-L4000"],
)
def test_real_looking_numbers_are_not_made_up(org_id: str) -> None:
    assert not is_made_up(org_id)

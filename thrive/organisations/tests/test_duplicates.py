"""Finding possible duplicates, merging them and setting pairs aside."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from thrive.accounts.models import Invitation, Membership
from thrive.accounts.tests.factories import InvitationFactory, MembershipFactory, StaffFactory
from thrive.audit.models import AuditEvent
from thrive.awards.tests.factories import AwardFactory
from thrive.organisations import duplicates
from thrive.organisations.models import CandidateStatus, DuplicateCandidate, Organisation
from thrive.organisations.tests.factories import (
    ContactFactory,
    DuplicateCandidateFactory,
    IdentifierFactory,
    IncomeRecordFactory,
    OrganisationFactory,
    ServiceFactory,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The Oakfield Youth Club CIO", "oakfield youth club"),
        ("Oakfield Youth Club Ltd.", "oakfield youth club"),
        ("Arts & Crafts Community Interest Company", "arts and crafts"),
        ("THE   Limited", ""),
    ],
)
def test_names_are_compared_without_suffixes_or_the(name: str, expected: str) -> None:
    assert duplicates.normalise_name(name) == expected


def test_similar_names_at_the_same_postcode_are_found(db) -> None:
    first = OrganisationFactory(name="Dunholm Community Transport", postcode="WS5 5EF")
    second = OrganisationFactory(name="The Dunholm Comunity Transport Ltd", postcode="WS5 5EF")
    [match] = duplicates.find_matches(second)
    assert match.organisation == first
    assert match.score >= 85


def test_similar_names_elsewhere_without_a_shared_contact_are_not_raised(db) -> None:
    OrganisationFactory(name="Dunholm Community Transport", postcode="WS5 5EF")
    other = OrganisationFactory(name="Dunholm Community Transport", postcode="WS9 9ZZ")
    assert duplicates.find_matches(other) == []


def test_a_shared_contact_email_counts_like_a_postcode(db) -> None:
    first = OrganisationFactory(name="Fernleigh Befriending", postcode="WS1 1AA")
    ContactFactory(organisation=first, email="jo@fernleigh.example")
    second = OrganisationFactory(
        name="Fernleigh Befriending Service", postcode="", email="JO@fernleigh.example"
    )
    [match] = duplicates.find_matches(second)
    assert match.organisation == first
    assert "shared contact jo@fernleigh.example" in match.reasons


def test_different_names_at_one_postcode_are_not_duplicates(db) -> None:
    OrganisationFactory(name="Greystone Food Bank", postcode="WS2 2BB")
    other = OrganisationFactory(name="Castlemere Heritage Society", postcode="WS2 2BB")
    assert duplicates.find_matches(other) == []


def test_a_pair_marked_not_a_duplicate_is_not_raised_again(db) -> None:
    candidate = DuplicateCandidateFactory()
    staff = StaffFactory()
    duplicates.mark_not_duplicate(candidate=candidate, actor=staff, reason="Two clubs")
    assert duplicates.raise_candidates(organisation=candidate.second) == []
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NOT_DUPLICATE
    assert AuditEvent.objects.filter(action="organisations.duplicate.dismissed").exists()
    with pytest.raises(ValidationError, match="already been reviewed"):
        duplicates.mark_not_duplicate(candidate=candidate, actor=staff)


def test_merging_moves_everything_to_the_survivor_and_is_audited(db) -> None:
    survivor = OrganisationFactory(name="Oakfield Youth Club", postcode="WS1 1AA")
    merged = OrganisationFactory(
        name="The Oakfield Youth Club CIO", postcode="WS1 1AA", website="https://oak.example"
    )
    candidate = DuplicateCandidate.objects.create(
        first=survivor, second=merged, score=100, reasons="test"
    )
    shared_user = MembershipFactory(organisation=survivor).user
    MembershipFactory(organisation=merged, user=shared_user, is_admin=True)
    mover = MembershipFactory(organisation=merged).user
    IdentifierFactory(organisation=merged, value="1990095")
    IncomeRecordFactory(organisation=merged, year=2024, amount_pence=20_000_00)
    IncomeRecordFactory(organisation=survivor, year=2024, amount_pence=30_000_00)
    IncomeRecordFactory(organisation=merged, year=2023, amount_pence=10_000_00)
    ServiceFactory(organisation=merged)
    ContactFactory(organisation=merged)
    InvitationFactory(organisation=merged)
    award = AwardFactory(organisation=merged)
    staff = StaffFactory()

    duplicates.merge_organisations(
        survivor=survivor, merged=merged, actor=staff, reason="Same charity", candidate=candidate
    )

    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.merged_into == survivor
    assert Membership.objects.get(user=shared_user, organisation=survivor).is_admin
    assert Membership.objects.filter(user=mover, organisation=survivor).exists()
    assert not Membership.objects.filter(organisation=merged).exists()
    assert [i.org_id for i in survivor.identifiers.all()] == ["GB-CHC-1990095"]
    assert dict(survivor.incomes.values_list("year", "amount_pence")) == {
        2024: 30_000_00,
        2023: 10_000_00,
    }
    assert survivor.services.count() == 1
    assert survivor.contacts.count() == 1
    assert Invitation.objects.filter(organisation=survivor).count() == 1
    award.refresh_from_db()
    assert award.organisation == survivor
    assert "The Oakfield Youth Club CIO" in survivor.other_names_list
    assert survivor.website == "https://oak.example"
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED
    event = AuditEvent.objects.get(action="organisations.organisation.merged")
    assert event.reason == "Same charity"
    assert event.before == {"merged_id": merged.pk, "merged_name": merged.name}
    assert event.after["moved"]["memberships"] == 1
    assert Organisation.objects.active().filter(pk=merged.pk).count() == 0


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Enter why these records are the same organisation")],
)
def test_a_merge_needs_a_reason(reason: str, message: str, db) -> None:
    a, b = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        duplicates.merge_organisations(survivor=a, merged=b, actor=None, reason=reason)
    assert caught.value.message_dict == {"reason": [message]}


def test_a_record_cannot_be_merged_into_itself_or_twice(db) -> None:
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    with pytest.raises(ValidationError, match="two different organisations"):
        duplicates.merge_organisations(survivor=a, merged=a, actor=None, reason="x")
    duplicates.merge_organisations(survivor=a, merged=b, actor=None, reason="x")
    with pytest.raises(ValidationError, match="already been merged"):
        duplicates.merge_organisations(survivor=c, merged=b, actor=None, reason="x")


def test_earlier_merges_follow_the_survivor(db) -> None:
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    duplicates.merge_organisations(survivor=b, merged=c, actor=None, reason="x")
    duplicates.merge_organisations(survivor=a, merged=b, actor=None, reason="x")
    c.refresh_from_db()
    assert c.merged_into == a


def test_the_review_page_keeps_a_bounded_number_of_queries(
    client, steward, django_assert_max_num_queries
) -> None:
    candidate = DuplicateCandidateFactory()
    for side in (candidate.first, candidate.second):
        for n in range(3):
            IdentifierFactory(organisation=side)
            AwardFactory(organisation=side, council=steward.council, amount_pence=1000 * (n + 1))
    client.force_login(steward)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("organisations:duplicate", args=[candidate.pk]))
    assert page.status_code == 200
    assert page.text.count("3 (£60.00)") == 2

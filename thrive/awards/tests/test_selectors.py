"""The whole picture of funding: derived from award records in the database."""

from __future__ import annotations

from datetime import date

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.awards.models import AwardKind, AwardStatus
from thrive.awards.selectors import funding_summary
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.organisations.tests.factories import OrganisationFactory


def test_totals_by_year_directorate_and_method_for_the_councils_own_staff(db) -> None:
    staff = staff_with_role(Role.STRATEGY_GROUP)
    org = OrganisationFactory()
    children = DirectorateFactory(council=staff.council, code="children", name="Children")
    AwardFactory(organisation=org, council=staff.council, amount_pence=100_00)
    AwardFactory(
        organisation=org,
        council=staff.council,
        directorate=children,
        kind=AwardKind.SMALL_GRANT,
        amount_pence=50_00,
        start_date=date(2024, 6, 1),
        end_date=date(2025, 5, 31),
    )
    AwardFactory(organisation=org, council=CouncilFactory(name="Eastvale"), amount_pence=7_00)
    summary = funding_summary(organisation=org, user=staff)
    assert summary.scope == "own_council"
    assert (summary.total_pence, summary.count) == (157_00, 3)
    assert {(r["year"], r["total_pence"]) for r in summary.by_year} == {
        (2024, 50_00),
        (2025, 100_00),
    }
    assert {r["directorate__name"] for r in summary.by_directorate} == {
        "Adult Social Care",
        "Children",
    }
    assert {r["label"]: r["total_pence"] for r in summary.by_kind} == {
        "Funding agreement": 100_00,
        "Small grant": 50_00,
    }
    assert {r["council__name"]: r["total_pence"] for r in summary.by_council} == {
        "Westshire County Council": 150_00,
        "Eastvale": 7_00,
    }
    assert len(summary.awards) == 2
    assert summary.funded_by_own_council


def test_members_see_every_award_and_others_see_nothing(db) -> None:
    membership = MembershipFactory()
    AwardFactory(organisation=membership.organisation)
    AwardFactory(organisation=membership.organisation, council=CouncilFactory(name="Other"))
    mine = funding_summary(organisation=membership.organisation, user=membership.user)
    assert (mine.scope, len(mine.awards)) == ("all", 2)
    stranger = MembershipFactory().user
    assert funding_summary(organisation=membership.organisation, user=stranger).scope == "none"


def test_money_awarded_counts_as_funded_but_not_drafts_offers_or_declines(db) -> None:
    org = OrganisationFactory()
    for status in AwardStatus:
        AwardFactory(organisation=org, status=status)
    admin = staff_with_role(Role.SYSTEM_ADMIN)
    assert funding_summary(organisation=org, user=admin).count == 3
    assert set(org.awards.funded().values_list("status", flat=True)) == {
        AwardStatus.ACTIVE,
        AwardStatus.COMPLETED,
        AwardStatus.TERMINATED,
    }

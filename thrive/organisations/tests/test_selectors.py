"""Search and filters over the register, scoped to the user."""

from __future__ import annotations

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.organisations.models import SizeBand, TestOutcome
from thrive.organisations.selectors import (
    RegisterFilters,
    directory,
    find_for_joining,
    organisations_for_user,
)
from thrive.organisations.tests.factories import (
    IdentifierFactory,
    OrganisationFactory,
    ServiceFactory,
)
from thrive.strategy.defaults import ensure_default_framework


def _names(queryset) -> list[str]:
    return sorted(o.name for o in queryset)


def test_search_covers_names_other_names_and_identifiers(db) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    OrganisationFactory(name="Kingsmere Lunch Club", other_names="KLC\nKingsmere Luncheon")
    IdentifierFactory(organisation__name="Upper Brook Trust", scheme="GB-COH", value="99506232")
    OrganisationFactory(name="Stanway Sports")

    def found(text: str) -> list[str]:
        return _names(organisations_for_user(user=staff, filters=RegisterFilters(q=text)))

    assert found("luncheon") == ["Kingsmere Lunch Club"]
    assert found("GB-COH-99506232") == ["Upper Brook Trust"]
    assert found("99506232") == ["Upper Brook Trust"]
    assert found("") == ["Kingsmere Lunch Club", "Stanway Sports", "Upper Brook Trust"]


def test_filters_by_reach_size_outcome_and_test(db, areas, groups) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    outcome = ensure_default_framework(staff.council)[0]
    match = OrganisationFactory(
        name="Match", size_band=SizeBand.SMALL, third_sector_outcome=TestOutcome.MEETS
    )
    match.areas.add(areas["Dunholm"])
    match.beneficiary_groups.add(groups["carers"])
    ServiceFactory(organisation=match).outcomes.add(outcome)
    OrganisationFactory(name="Other", size_band=SizeBand.LARGE)
    filters = RegisterFilters(
        size_band="small",
        area=areas["Dunholm"].pk,
        beneficiary_group=groups["carers"].pk,
        outcome=outcome.pk,
        third_sector="meets",
    )
    assert _names(organisations_for_user(user=staff, filters=filters)) == ["Match"]


def test_merged_records_are_not_listed(db) -> None:
    staff = staff_with_role(Role.COMMISSIONER)
    survivor = OrganisationFactory(name="Survivor")
    OrganisationFactory(name="Merged", merged_into=survivor)
    assert _names(organisations_for_user(user=staff)) == ["Survivor"]


def test_provider_users_see_only_their_own_organisations(db) -> None:
    membership = MembershipFactory()
    OrganisationFactory(name="Not Mine")
    assert list(organisations_for_user(user=membership.user)) == [membership.organisation]


def test_the_directory_lists_only_opted_in_records(db) -> None:
    OrganisationFactory(name="Listed", directory_opt_in=True)
    OrganisationFactory(name="Unlisted")
    survivor = OrganisationFactory(name="Survivor", directory_opt_in=True)
    OrganisationFactory(name="Merged", directory_opt_in=True, merged_into=survivor)
    assert _names(directory(filters=RegisterFilters())) == ["Listed", "Survivor"]


def test_finding_an_organisation_to_join_needs_three_characters(db) -> None:
    OrganisationFactory(name="Fairholme Arts")
    assert find_for_joining(text="Fa") == []
    assert [o.name for o in find_for_joining(text="fairholme")] == ["Fairholme Arts"]

"""Dashboard figures equal sums computed independently from the records."""

from __future__ import annotations

from datetime import date

import pytest

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.models import AwardKind, AwardStatus
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.core.models import Area, BeneficiaryGroup
from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.reporting import selectors
from thrive.reporting.selectors import Filters
from thrive.reporting.tests.crosscheck import assert_matches, three_years_or_more

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    council = CouncilFactory(name="Westshire County Council", slug="westshire")
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    children = DirectorateFactory(council=council, code="children", name="Children's Services")
    north = Area.objects.create(council=council, name="North")
    south = Area.objects.create(council=council, name="South")
    carers = BeneficiaryGroup.objects.get_or_create(code="carers", defaults={"name": "Carers"})[0]
    micro = OrganisationFactory(size_band="micro")
    micro.areas.set([north, south])
    micro.beneficiary_groups.set([carers])
    medium = OrganisationFactory(size_band="medium")
    medium.areas.set([north])
    # Each award's money by the financial years it is paid in.
    awards = [
        AwardFactory(council=council, directorate=adults, organisation=micro,
                     kind=AwardKind.SMALL_GRANT, amount_pence=250_000,
                     start_date=date(2025, 6, 1), end_date=date(2026, 5, 31),
                     years={2025: 200_000, 2026: 50_000}),
        AwardFactory(council=council, directorate=children, organisation=micro,
                     amount_pence=3_000_000, start_date=date(2025, 4, 1),
                     end_date=date(2028, 3, 31),
                     years={2025: 1_000_000, 2026: 1_000_000, 2027: 1_000_000}),
        AwardFactory(council=council, directorate=adults, organisation=medium,
                     kind=AwardKind.CONTRACT, amount_pence=9_000_000,
                     start_date=date(2026, 3, 31), end_date=date(2028, 3, 30),
                     status=AwardStatus.COMPLETED,
                     years={2025: 3_000_000, 2026: 3_000_000, 2027: 3_000_000}),
        AwardFactory(council=council, directorate=adults, organisation=medium,
                     amount_pence=1_200_000, start_date=date(2024, 1, 15),
                     end_date=date(2027, 1, 13), status=AwardStatus.TERMINATED,
                     years={2023: 400_000, 2024: 400_000, 2025: 400_000}),
    ]  # fmt: skip
    other = CouncilFactory(name="Eastvale", slug="eastvale")
    AwardFactory(council=other, amount_pence=77_700)
    return council, adults, awards


def test_totals_count_only_the_councils_funded_awards(world) -> None:
    council, _, _ = world
    result = selectors.investment(Filters(council))
    assert result.total_pence == 250_000 + 3_000_000 + 9_000_000 + 1_200_000
    assert result.organisations == 2
    assert_matches(result, Filters(council))


def test_a_year_counts_only_the_money_paid_in_it(world) -> None:
    council, _, _ = world
    result = selectors.investment(Filters(council, year=2025))
    assert result.total_pence == 200_000 + 1_000_000 + 3_000_000 + 400_000
    assert result.awards == 4
    assert result.long_term_pence == 1_000_000
    series = selectors.investment(Filters(council)).years
    assert {row.label: (row.amount_pence, row.awards) for row in series.rows} == {
        "2023/24": (400_000, 1),
        "2024/25": (400_000, 1),
        "2025/26": (4_600_000, 4),
        "2026/27": (4_050_000, 3),
        "2027/28": (4_000_000, 2),
    }
    assert_matches(result, Filters(council, year=2025))


def test_a_three_year_award_counts_a_third_in_each_year(world) -> None:
    council, adults, _ = world
    AwardFactory(council=council, directorate=adults, amount_pence=3_000_000,
                 start_date=date(2027, 4, 1), end_date=date(2030, 3, 31),
                 years={2027: 1_000_000, 2028: 1_000_000, 2029: 1_000_000})  # fmt: skip
    later = selectors.investment(Filters(council, year=2028))
    assert (later.total_pence, later.awards) == (1_000_000, 1)
    assert {row.label: row.amount_pence for row in later.table("directorate").rows} == {
        "Adult Social Care": 1_000_000
    }
    first = selectors.investment(Filters(council, year=2027))
    assert (first.total_pence, first.awards) == (5_000_000, 3)
    assert_matches(later, Filters(council, year=2028))


def test_long_terms_and_small_organisations_follow_the_strategy(world) -> None:
    council, _, _ = world
    result = selectors.investment(Filters(council))
    # 2025-04-01 to 2028-03-31 is three years; 2024-01-15 to 2027-01-13 is a day short.
    assert result.long_term_pence == 3_000_000
    assert result.small_pence == 3_250_000
    assert result.small_share == pytest.approx(3_250_000 / 13_450_000)


def test_directorate_filter_and_multi_counted_tables(world) -> None:
    council, adults, _ = world
    filters = Filters(council, directorate_id=adults.pk)
    result = selectors.investment(filters)
    assert result.total_pence == 250_000 + 9_000_000 + 1_200_000
    areas = {row.label: row.amount_pence for row in result.table("area").rows}
    assert areas == {"North": 10_450_000, "South": 250_000}
    assert_matches(result, filters)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 4, 1), date(2027, 3, 31)),
        (date(2024, 4, 1), date(2027, 3, 30)),
        (date(2024, 2, 29), date(2027, 2, 27)),
        (date(2024, 2, 29), date(2027, 2, 26)),
        (date(2025, 3, 1), date(2028, 2, 28)),
        (date(2025, 3, 1), date(2028, 2, 29)),
        (date(2023, 12, 31), date(2026, 12, 30)),
    ],
)
def test_the_three_year_rule_in_sql_matches_the_awards_rule(start, end) -> None:
    award = AwardFactory(start_date=start, end_date=end)
    result = selectors.investment(Filters(award.council))
    assert (result.long_term_pence > 0) == three_years_or_more(start, end)
    try:
        from thrive.awards.models import is_shorter_than_three_years
    except ImportError:
        return
    assert (result.long_term_pence > 0) == (not is_shorter_than_three_years(start, end))


def test_dashboard_figures_match_the_records_on_seeded_data() -> None:
    ctx = run_seed(SeedContext(scale=SCALES["demo"], random_seed=3, show_progress=False))
    council = ctx.data["council"]
    years = selectors.financial_years(council)
    assert years
    directorate = council.directorates.order_by("pk").first()
    for filters in (
        Filters(council),
        Filters(council, year=years[0]),
        Filters(council, year=years[-1], directorate_id=directorate.pk),
    ):
        assert_matches(selectors.investment(filters), filters)


def test_the_dashboard_takes_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
) -> None:
    council, _, _ = world
    with django_assert_max_num_queries(14):
        selectors.investment(Filters(council, year=2025))

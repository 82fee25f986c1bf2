"""The register and the funding summary stay right when they are read the fast way:
counts stopped at a cap, later pages read by id, totals summed from a short list."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.awards import search as register_search
from thrive.awards import selectors
from thrive.awards.models import AwardKind
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.awards.views.common import CappedPaginator
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r">(Award \d+)</a>", html)


def test_later_pages_hold_the_next_awards_in_order(client, django_assert_max_num_queries):
    staff = staff_with_role(Role.COMMISSIONER)
    directorate = DirectorateFactory(council=staff.council)
    for n in range(30):
        AwardFactory(
            council=staff.council,
            directorate=directorate,
            title=f"Award {n:02d}",
            start_date=date(2020, 1, 1) + timedelta(days=n),
            end_date=date(2029, 1, 1),
        )
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        first = client.get("/awards/").content.decode()
    second = client.get("/awards/?page=2").content.decode()
    assert "30 awards" in first
    assert _titles(first) == [f"Award {n:02d}" for n in range(29, 4, -1)]
    assert _titles(second) == [f"Award {n:02d}" for n in range(4, -1, -1)]
    assert "Financial year starting" in first and "April 2019 to March 2020" in first


def test_a_register_longer_than_the_cap_says_so_and_still_lists(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    staff = staff_with_role(Role.COMMISSIONER)
    directorate = DirectorateFactory(council=staff.council)
    for n in range(5):
        AwardFactory(council=staff.council, directorate=directorate, title=f"Award {n:02d}")
    client.force_login(staff)
    page = client.get("/awards/").content.decode()
    assert "More than 3 awards" in page and len(_titles(page)) == 3
    narrowed = client.get("/awards/?q=Award 04").content.decode()
    assert "1 award" in narrowed and _titles(narrowed) == ["Award 04"]


def test_a_search_counts_to_its_own_lower_cap_and_says_so(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    monkeypatch.setattr(CappedPaginator, "search_cap", 2)
    staff = staff_with_role(Role.COMMISSIONER)
    directorate = DirectorateFactory(council=staff.council)
    for n in range(4):
        AwardFactory(council=staff.council, directorate=directorate, title=f"Award {n:02d}")
    client.force_login(staff)
    everything = client.get("/awards/").content.decode()
    assert "4 awards" in everything and len(_titles(everything)) == 4
    searched = client.get("/awards/?q=Award").content.decode()
    assert "More than 2 awards" in searched and len(_titles(searched)) == 2
    narrowed = client.get("/awards/?q=Award 03").content.decode()
    assert "1 award" in narrowed and _titles(narrowed) == ["Award 03"]


def _summary_facts(summary) -> tuple:
    return (
        summary.scope,
        summary.total_pence,
        summary.count,
        summary.by_council,
        summary.by_year,
        summary.by_directorate,
        summary.by_kind,
        [a.pk for a in summary.awards],
        summary.detail_count,
    )


def test_the_funding_summary_is_the_same_from_its_list_or_grouped(monkeypatch) -> None:
    staff = staff_with_role(Role.STRATEGY_GROUP)
    org = OrganisationFactory()
    other = CouncilFactory(name="Eastvale")
    for n, council in enumerate([staff.council, staff.council, other, staff.council]):
        AwardFactory(
            organisation=org,
            council=council,
            kind=AwardKind.SMALL_GRANT if n % 2 else AwardKind.FUNDING_AGREEMENT,
            amount_pence=(n + 1) * 100_00,
            start_date=date(2023 + n, 6, 1),
            end_date=date(2029, 1, 1),
        )
    summed = selectors.funding_summary(organisation=org, user=staff, latest=2)
    monkeypatch.setattr(selectors, "FEW_AWARDS", 1)
    grouped = selectors.funding_summary(organisation=org, user=staff, latest=2)
    assert _summary_facts(summed) == _summary_facts(grouped)
    assert (summed.count, summed.total_pence, summed.detail_count) == (4, 1000_00, 3)
    assert [a.start_date.year for a in summed.awards] == [2026, 2024]
    assert {r["council__name"]: r["total_pence"] for r in summed.by_council} == {
        staff.council.name: 700_00,
        "Eastvale": 300_00,
    }


def _register_world():
    """A council's awards found by title, reference, provider name and org-id, with a second
    council's matching awards that its register must never show."""
    staff = staff_with_role(Role.COMMISSIONER)
    other = CouncilFactory(name="Eastvale")
    provider = OrganisationFactory(name="Riverside Lunch Club")
    IdentifierFactory(organisation=provider, scheme="GB-CHC", value="1099001")
    directorate = DirectorateFactory(council=staff.council)
    for n in range(12):
        AwardFactory(
            council=staff.council,
            directorate=directorate,
            organisation=provider if n % 3 == 0 else OrganisationFactory(),
            title="Lunch club meals" if n % 4 == 0 else f"Advice line {n}",
            reference=f"REF-{n}",
            start_date=date(2020, 1, 1) + timedelta(days=40 * n),
            end_date=date(2030, 1, 1),
            kind=AwardKind.SMALL_GRANT if n % 2 else AwardKind.FUNDING_AGREEMENT,
        )
    AwardFactory(council=other, organisation=provider, title="Lunch club meals", reference="REF-3")
    return staff


@pytest.mark.parametrize(
    "query",
    [
        {"q": "lunch"},
        {"q": "GB-CHC-1099001"},
        {"q": "gb-chc-1099001", "kind": AwardKind.SMALL_GRANT},
        {"q": "ref-3"},
        {"q": "advice", "year": 2021},
        {"q": "nothing like it"},
    ],
)
def test_a_search_finds_the_same_awards_in_the_same_order_sorted_or_walked(
    monkeypatch, query
) -> None:
    staff = _register_world()
    filters = selectors.RegisterFilters(**query)

    def found(limit: int) -> list[int]:
        monkeypatch.setattr(register_search, "FEW", limit)
        return [a.pk for a in selectors.register(user=staff, filters=filters)]

    by_id, left = found(1_000), found(0)
    assert by_id == left
    everything = selectors.register(user=staff, filters=selectors.RegisterFilters())
    assert all(a.council_id == staff.council_id for a in everything)
    titles = {a.pk: a.title for a in everything}
    if query["q"] == "lunch":
        # the lunch club's own awards (its name) and every "Lunch club meals" (the title)
        assert len(by_id) == 6
        assert sum(titles[pk] == "Lunch club meals" for pk in by_id) == 3
    if query["q"] == "GB-CHC-1099001":
        assert len(by_id) == 4
    if query["q"] == "ref-3":
        assert [titles[pk] for pk in by_id] == ["Advice line 3"]


def test_few_matches_are_sorted_and_many_walked_in_the_registers_order(
    monkeypatch, django_assert_max_num_queries
) -> None:
    """Few matches are sorted by an expression no index gives in order, so the planner reads
    them through their own indexes rather than walking the register newest first."""
    staff = _register_world()
    filters = selectors.RegisterFilters(q="GB-CHC-1099001")

    def order_of(limit: int) -> str:
        monkeypatch.setattr(register_search, "FEW", limit)
        sql = str(selectors.register(user=staff, filters=filters).query)
        return sql.rsplit("ORDER BY", 1)[1]

    assert "COALESCE" in order_of(1_000)
    assert "COALESCE" not in order_of(3)  # the provider has 4 awards
    with django_assert_max_num_queries(8):
        assert len(list(selectors.register(user=staff, filters=filters))) == 4

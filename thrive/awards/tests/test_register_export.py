"""The register's export: every award's columns as the register shows them, read as plain
values with the outcomes streamed beside the awards, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.awards import selectors
from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory, make_pot
from thrive.awards.views.register import register_table
from thrive.core.exports import export_bytes
from thrive.organisations.models import Identifier
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.tests.factories import OutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return staff_with_role(Role.STRATEGY_GROUP)


@pytest.fixture
def world(reader):
    """Awards with two, one or no outcomes, the same start date on several, providers with
    several org-ids or none, a pot or none, a small grant, and a title that is a formula."""
    council = reader.council
    directorate = DirectorateFactory(council=council)
    pot = make_pot(council, directorate, start_year=2025)
    outcomes = [
        OutcomeFactory(council=council, code=code, title=title, order=order)
        for code, title, order in [("B2", "Less isolation", 1), ("A1", "Healthy lives", 1)]
    ] + [OutcomeFactory(council=council, code="C3", title="Safer streets", order=0)]
    named = OrganisationFactory(name="Riverside Advice")
    for value in ("1994567", "0123"):
        Identifier.objects.create(
            organisation=named, scheme="GB-CHC", value=value, org_id=f"GB-CHC-{value}"
        )
    plain = OrganisationFactory(name="No Number Group")
    for n in range(7):
        award = AwardFactory(
            council=council,
            directorate=directorate,
            organisation=named if n % 2 else plain,
            title='=HYPERLINK("http://evil","x")' if n == 3 else f"Support {n}",
            kind=AwardKind.SMALL_GRANT if n == 4 else AwardKind.FUNDING_AGREEMENT,
            status=AwardStatus.ACTIVE if n % 3 else AwardStatus.DRAFT,
            amount_pence=1_234_567 + n,
            start_date=date(2025, 4, 1) if n < 4 else date(2026, 1, n),
            end_date=date(2027, 3, 31),
            pot=pot if n % 2 == 0 else None,
        )
        award.outcomes.set(outcomes[: n % 3] if n != 5 else outcomes)
    other = staff_with_role(Role.STRATEGY_GROUP, council=CouncilFactory(name="Eastvale"))
    AwardFactory(council=other.council, title="Another council's")  # never in the export


def _reference(user) -> list[list]:
    """Each award's row as the register's page shows it, from its whole model."""
    awards = selectors.register(user=user)
    rows = []
    for award in awards:
        pot = award.pot
        outcomes = sorted(award.outcomes.all(), key=lambda o: (o.council_id, o.order, o.code))
        rows.append(
            [
                award.reference,
                award.title,
                award.get_kind_display(),
                award.get_status_display(),
                award.organisation.name,
                selectors.org_ids(award),
                award.directorate.name,
                award.amount_pence / 100,
                award.start_date,
                award.end_date,
                selectors.route_label(award),
                f"{pot.name} ({pot.financial_year.start_year}/"
                f"{(pot.financial_year.start_year + 1) % 100:02d})"
                if pot
                else "",
                "; ".join(f"{o.code} {o.title}" for o in outcomes),
            ]
        )
    return rows


def test_every_award_has_the_columns_the_register_shows(reader, world) -> None:
    table = register_table(reader, QueryDict())

    rows = list(table.rows)

    assert rows == _reference(reader)
    assert len(rows) == 7
    by_title = {row[1]: row for row in rows}
    assert by_title["Support 5"][12] == "C3 Safer streets; A1 Healthy lives; B2 Less isolation"
    assert by_title["Support 0"][12] == "" and by_title["Support 0"][5] == ""
    assert by_title["Support 1"][5] == "GB-CHC-0123; GB-CHC-1994567"
    assert by_title["Support 4"][10] == "Small Grants Scheme"
    assert by_title["Support 2"][11].endswith("(2025/26)")
    assert by_title["Support 2"][7] == 12_345.69


def test_a_filtered_export_has_only_the_filtered_awards_and_their_outcomes(reader, world):
    [row] = list(register_table(reader, QueryDict("kind=small_grant")).rows)
    assert row[1] == "Support 4" and row[12] == "B2 Less isolation"


def test_the_outcomes_of_an_award_passed_over_go_to_no_other(reader, world) -> None:
    """Outcomes are matched to awards by the register's order: those of an award the awards'
    query did not hold (made between the two queries) are passed over, not given to the next."""
    awards = selectors.register(user=reader)
    keys = list(awards.values_list("start_date", "pk"))
    outcomes = selectors._outcomes_in_order(awards)
    next(outcomes)
    every = [outcomes.send(key) for key in keys]
    outcomes.close()
    skipping = selectors._outcomes_in_order(awards)
    next(skipping)
    kept = [skipping.send(key) for index, key in enumerate(keys) if index % 2]
    skipping.close()
    assert kept == every[1::2]
    assert any(every[0::2]) and any(kept)


def test_the_xlsx_holds_real_dates_money_as_a_number_and_a_formula_as_text(reader, world):
    table = register_table(reader, QueryDict())
    data = export_bytes(headers=table.headers, rows=table.rows, fmt="xlsx", title=table.title)
    sheet = load_workbook(io.BytesIO(data)).active
    read = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    formula = read['=HYPERLINK("http://evil","x")']
    assert formula[1].data_type == "s" and formula[1].quotePrefix
    assert read["Support 6"][8].value == datetime(2026, 1, 6)
    assert read["Support 6"][8].is_date
    assert read["Support 6"][7].value == 12_345.73 and read["Support 6"][7].data_type == "n"
    assert read["Support 0"][12].value is None  # no outcomes: a blank cell
    assert sheet.max_row == 1 + Award.objects.filter(council=reader.council).count()

"""Officers' spreadsheets read as people write them: one test per entry of each table, and
a spreadsheet typed the way an officer would that imports whole, counted exactly."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import tablib

from thrive.organisations import synonyms
from thrive.organisations.importing import import_organisations
from thrive.organisations.models import (
    CharityRegisterCheck,
    DuplicateCandidate,
    LegalForm,
    Organisation,
    RegisterStatus,
)
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory

# Made-up numbers: the charity register has not reached 1,300,000 nor Companies House
# 20,000,000, so none of these is a real charity or company.
CHARITY_A, CHARITY_B, CHARITY_C = "1999901", "1999902", "1999903"


def _messy(text: str) -> str:
    """The same words as an officer might type them: other case, spaces around and within."""
    return f"  {text.upper().replace(' ', '  ')} "


@pytest.mark.parametrize(("title", "column"), sorted(synonyms.COLUMN_TITLES.items()))
def test_each_column_title_is_read_as_its_column(title: str, column: str) -> None:
    assert synonyms.column_for(title) == column
    assert synonyms.column_for(_messy(title)) == column


@pytest.mark.parametrize(("text", "value"), sorted(synonyms.LEGAL_FORMS.items()))
def test_each_legal_form_synonym_is_read_as_its_form(text: str, value: str) -> None:
    assert synonyms.legal_form(text) == value
    assert synonyms.legal_form(_messy(text)) == value


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("charitable incorporated organisation", LegalForm.CIO),
        ("C.I.O.", LegalForm.CIO),
        ("Community Interest Company", LegalForm.CIC),
        ("C.I.C", LegalForm.CIC),
        ("co-operative", LegalForm.COOPERATIVE),
        ("Co-op", LegalForm.COOPERATIVE),
        ("Registered charity", LegalForm.CHARITY),
        ("Ltd. by Guarantee", LegalForm.GUARANTEE_COMPANY),
        ("company limited by guarantee", LegalForm.GUARANTEE_COMPANY),
        ("Unincorporated Association", LegalForm.UNINCORPORATED),
        ("Community Benefit Society", LegalForm.COMMUNITY_BENEFIT_SOCIETY),
        ("BenCom", LegalForm.COMMUNITY_BENEFIT_SOCIETY),
        ("Community interest company (CIC)", LegalForm.CIC),
    ],
)
def test_legal_forms_as_the_issue_found_them_are_read(written: str, value: str) -> None:
    assert synonyms.legal_form(written) == value


def test_an_unknown_legal_form_names_the_allowed_forms() -> None:
    with pytest.raises(synonyms.NotUnderstood) as caught:
        synonyms.legal_form("Plc")
    message = str(caught.value)
    assert message.startswith("'Plc' is not a legal form; use one of: ")
    for _, label in LegalForm.choices:
        assert label in message


@pytest.mark.parametrize(("text", "value"), sorted(synonyms.YES_NO.items()))
def test_each_yes_no_synonym_is_read(text: str, value: bool) -> None:
    assert synonyms.yes_no(text) is value
    assert synonyms.yes_no(_messy(text)) is value


@pytest.mark.parametrize(
    ("cell", "value"),
    [(True, True), (False, False), (1, True), (0, False), (1.0, True), ("", None)],
)
def test_spreadsheet_booleans_and_numbers_are_yes_or_no(cell, value) -> None:
    assert synonyms.yes_no(cell) is value


def test_an_unknown_yes_no_names_the_allowed_answers() -> None:
    with pytest.raises(synonyms.NotUnderstood, match=r"'maybe' is not yes or no; use one of: yes"):
        synonyms.yes_no("maybe")


@pytest.mark.parametrize(("layout", "example"), sorted(synonyms.DATE_LAYOUTS.items()))
def test_each_date_layout_reads_its_example(layout: str, example: str) -> None:
    assert synonyms.date(example) == dt.date(2024, 3, 31)
    assert synonyms.date(f" {example.upper()} ") == dt.date(2024, 3, 31)


@pytest.mark.parametrize(
    "cell",
    [
        "1st April 2024",
        "1 Apr 2024",
        "01/04/2024",
        "1.4.2024",
        "2024-04-01T00:00:00",
        "01/04/2024 00:00",
        dt.datetime(2024, 4, 1, 0, 0),
        dt.date(2024, 4, 1),
        45383,
        45383.0,
        "45383",
    ],
)
def test_dates_come_from_text_excel_serials_and_datetimes(cell) -> None:
    assert synonyms.date(cell) == dt.date(2024, 4, 1)


def test_sept_is_september() -> None:
    assert synonyms.date("30 Sept 2024") == dt.date(2024, 9, 30)


@pytest.mark.parametrize("text", ["next Tuesday", "31/02/2024", "2024", "04/31/2024"])
def test_a_date_that_is_not_one_names_the_layouts(text: str) -> None:
    with pytest.raises(synonyms.NotUnderstood, match=r"is not a date; write it like 31/03/2024"):
        synonyms.date(text)


@pytest.mark.parametrize(("word", "factor"), sorted(synonyms.MONEY_MULTIPLIERS.items()))
def test_each_money_multiplier_is_read(word: str, factor: int) -> None:
    assert synonyms.money_pence(f"£1.5{word}") == 150 * factor
    assert synonyms.money_pence(f" 1.5 {word.upper()} ") == 150 * factor


@pytest.mark.parametrize(
    ("cell", "pence"),
    [
        ("£1,200", 120_000),
        ("1200", 120_000),
        ("1200.00", 120_000),
        ("£ 1,200.5", 120_050),
        ("GBP 1,200", 120_000),
        ("1,200 GBP", 120_000),
        ("1200 pounds", 120_000),
        ("£45k", 4_500_000),
        ("£1.2k", 120_000),
        (1200.5, 120_050),
        (1200, 120_000),
        (Decimal("1200.25"), 120_025),
        ("", None),
    ],
)
def test_money_as_people_write_it(cell, pence) -> None:
    assert synonyms.money_pence(cell) == pence


@pytest.mark.parametrize(
    "text", ["1,20", "1.200,50", "-5", "(1,200)", "£1.234", "1e5", "about 500", "1 200", "£1.2bn"]
)
def test_money_that_could_mean_two_things_or_none_is_refused(text: str) -> None:
    with pytest.raises(synonyms.NotUnderstood, match=re.escape(repr(text))):
        synonyms.money_pence(text)


@pytest.mark.parametrize(
    ("cell", "year"),
    [
        ("2024", 2024),
        (2024, 2024),
        ("2023/24", 2024),
        ("2023-24", 2024),
        ("2023/2024", 2024),
        ("31/03/2024", 2024),
        ("31 March 2024", 2024),
        (45382, 2024),
        (dt.datetime(2024, 3, 31), 2024),
    ],
)
def test_a_financial_year_is_the_year_it_ended(cell, year: int) -> None:
    assert synonyms.year_ending(cell, latest=2025) == year


def test_a_span_that_is_not_one_year_is_refused() -> None:
    with pytest.raises(synonyms.NotUnderstood, match="not one financial year"):
        synonyms.year_ending("2023/25", latest=2025)


# A sheet typed the way an officer would: their own column titles, legal forms in words,
# money with pound signs and k, years as spans or year-end dates, ticks for yes.
OFFICER_TITLES = [
    " Organisation Name ",
    "Type",
    "Charity No.",
    "Company  No",
    "Post Code",
    "Area",
    "Income",
    "Year End",
    "E-mail",
    "In directory",
]
OFFICER_ROWS = [
    [
        "Brackenford  Food Bank",
        "charitable incorporated organisation",
        CHARITY_A,
        "",
        "ws1 2ab",
        "Brackenford",
        "£45k",
        "2023/24",
        "Info@BFB.example",
        "Y",
    ],
    ["Dunholm Men's Shed", " unincorporated association ", "", "", "WS2 3CD", "", "", "", "", "n"],
    [
        "Greystone Arts",
        "Community Interest Company",
        "",
        "99999901",
        "",
        "",
        "£1,500,000",
        "31/03/2024",
        "",
        "x",
    ],
    ["Castlemere Co-op", "Co-op", "", "", "", "", "12000.50", "2024", "", "No"],
    [
        "Hollins Trust",
        "Registered Charity",
        CHARITY_B,
        "",
        "",
        "",
        "1.2k",
        "31 Mar 2024",
        "",
        "yes",
    ],
    ["Riverside Advice", "Ltd. by Guarantee", "", "", "", "", "", "", "", ""],
    ["Moorland Homes", "BenCom", "", "", "", "", "", "", "", "TRUE"],
]


def _officer_csv() -> bytes:
    lines = [",".join(OFFICER_TITLES)]
    lines += [",".join(f'"{cell}"' for cell in row) for row in OFFICER_ROWS]
    return "\n".join(lines).encode()


def test_an_officers_spreadsheet_imports_whole(areas, groups) -> None:
    result = import_organisations(content=_officer_csv(), filename="officer.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert Organisation.objects.count() == len(OFFICER_ROWS)
    food_bank = Organisation.objects.get(name="Brackenford  Food Bank")
    assert food_bank.legal_form == LegalForm.CIO
    assert (food_bank.latest_income_pence, food_bank.latest_income_year) == (4_500_000, 2024)
    assert food_bank.directory_opt_in is True
    assert food_bank.identifiers.get().org_id == f"GB-CHC-{CHARITY_A}"
    forms = dict(Organisation.objects.values_list("name", "legal_form"))
    assert forms == {
        "Brackenford  Food Bank": LegalForm.CIO,
        "Dunholm Men's Shed": LegalForm.UNINCORPORATED,
        "Greystone Arts": LegalForm.CIC,
        "Castlemere Co-op": LegalForm.COOPERATIVE,
        "Hollins Trust": LegalForm.CHARITY,
        "Riverside Advice": LegalForm.GUARANTEE_COMPANY,
        "Moorland Homes": LegalForm.COMMUNITY_BENEFIT_SOCIETY,
    }
    assert Organisation.objects.get(name="Hollins Trust").latest_income_pence == 120_000
    assert Organisation.objects.get(name="Castlemere Co-op").latest_income_pence == 1_200_050
    assert not Organisation.objects.get(name="Dunholm Men's Shed").directory_opt_in
    assert result.summary() == (
        "7 organisation(s) were created, 0 were updated, 0 were created and held for "
        "duplicate review, and 0 were flagged for a check."
    )


def test_an_officers_workbook_with_real_dates_and_numbers_imports_whole(areas, groups) -> None:
    data = tablib.Dataset(headers=OFFICER_TITLES)
    data.append(
        [
            "Hollins Trust",
            "CIO",
            int(CHARITY_B),
            None,
            "WS4 1AA",
            None,
            1200.5,
            dt.datetime(2024, 3, 31),
            None,
            True,
        ]
    )
    result = import_organisations(content=data.export("xlsx"), filename="officer.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    trust = Organisation.objects.get()
    assert trust.identifiers.get().org_id == f"GB-CHC-{CHARITY_B}"
    assert (trust.latest_income_pence, trust.latest_income_year) == (120_050, 2024)
    assert trust.directory_opt_in is True


def test_a_value_still_unknown_is_an_error_naming_the_allowed_values(db) -> None:
    text = "Name,Legal status,In directory,Income\nA Group,Plc,maybe,lots\n"
    result = import_organisations(content=text.encode(), filename="a.csv")
    messages = [str(e) for e in result.errors]
    assert messages[0].startswith("row 2, column legal_form: 'Plc' is not a legal form; use one")
    assert "Registered charity (trust or association)" in messages[0]
    assert any(
        m.startswith("row 2, column directory_opt_in: 'maybe' is not yes or no") for m in messages
    )
    assert Organisation.objects.count() == 0


def test_two_titles_for_one_column_are_an_error(db) -> None:
    result = import_organisations(content=b"Name,Organisation\nA,B\n", filename="a.csv")
    assert [str(e) for e in result.errors] == [
        "row 1, column name: the column appears more than once"
    ]


def test_the_summary_counts_rows_held_for_review_within_the_file(areas, groups) -> None:
    text = "\n".join(
        [
            "name,postcode",
            "Dunholm Men's Shed,WS2 3CD",
            "Dunholm Mens Shed CIO,WS2 3CD",
            "Greystone Arts,WS4 1AA",
        ]
    )
    planned = import_organisations(content=text.encode(), filename="a.csv", dry_run=True)
    assert [p.action for p in planned.plan] == ["create", "hold", "create"]
    assert planned.plan[1].possible_duplicates == ["Dunholm Men's Shed (row 2)"]
    result = import_organisations(content=text.encode(), filename="a.csv")
    assert DuplicateCandidate.objects.open().count() == 1
    assert (result.count("create"), result.count("hold"), result.candidates) == (2, 1, 1)
    assert result.summary() == (
        "2 organisation(s) were created, 0 were updated, 1 were created and held for duplicate "
        "review (1 review pair(s) raised), and 0 were flagged for a check."
    )


def test_a_row_matching_two_records_is_one_held_row_with_two_pairs(areas, groups) -> None:
    OrganisationFactory(name="Dunholm Mens Shed Ltd", postcode="WS2 3CD")
    OrganisationFactory(name="The Dunholm Men's Shed", postcode="WS2 3CD")
    result = import_organisations(
        content=b"name,postcode\nDunholm Mens Shed,WS2 3CD\n", filename="a.csv"
    )
    assert (result.count("hold"), result.candidates) == (1, 2)
    assert DuplicateCandidate.objects.open().count() == 2


def test_rows_the_register_would_question_are_flagged_and_still_imported(areas, groups) -> None:
    existing = IdentifierFactory(organisation__name="Hollins Trust", value=CHARITY_B).organisation
    CharityRegisterCheck.objects.create(
        organisation=existing,
        charity_number=CHARITY_B,
        status=RegisterStatus.REMOVED,
        register_name="HOLLINS TRUST",
        extract_date=dt.date(2026, 12, 1),
    )
    text = "\n".join(
        [
            "name,legal_form,charity_number",
            "Brackenford Food Bank,CIO,",
            f"Hollins Trust,charity,{CHARITY_B}",
            f"Greystone Arts,CIC,{CHARITY_C}",
            "Castlemere Carers,charity,",
        ]
    )
    result = import_organisations(content=text.encode(), filename="a.csv")
    assert result.ok, result.errors
    assert [p.flags for p in result.plan] == [
        ["a CIO is always on the charity register, but no charity number is given"],
        [
            f"the register extract of 1 December 2026 shows charity {CHARITY_B} removed from "
            "the register"
        ],
        [
            "a community interest company cannot be a registered charity, but a charity "
            "number is given"
        ],
        [],
    ]
    assert result.flagged == 3
    assert result.summary().endswith("and 3 were flagged for a check.")
    assert Organisation.objects.count() == 4

"""Each register's own format rule, with well-formed and malformed numbers.

Well-formed numbers come from the made-up blocks (``thrive.organisations.seed.MADE_UP``)
where a block exists; the rest show a format no made-up block has (older six-digit charity
numbers, short company numbers to pad, Scottish and Northern Irish registers)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from thrive.organisations.identifiers import (
    ORG_ID_CREDIT,
    canonical_org_id,
    canonical_value,
    prefixes,
    scheme_choices,
    scheme_name,
)


def test_prefix_list_comes_from_the_org_id_register_with_its_credit() -> None:
    assert "GB-CHC" in prefixes()
    assert scheme_name("GB-SC") == "Scottish Charity Register"
    assert ORG_ID_CREDIT == "org-id.guide register, ODbL"
    assert scheme_choices()[0][0] == "GB-CHC"
    assert len(prefixes()) > 800


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GB-CHC-1990095", "GB-CHC-1990095"),
        ("gb-chc-1990417", "GB-CHC-1990417"),
        ("gb-chc-279417", "GB-CHC-279417"),  # the older six-digit form: no made-up block
        ("GB-CHC-1 990 095", "GB-CHC-1990095"),
        ("GB-SC-SC042386", "GB-SC-SC042386"),
        ("GB-SC-042386", "GB-SC-SC042386"),
        ("gb-sc-sc000587", "GB-SC-SC000587"),
        ("GB-NIC-100019", "GB-NIC-100019"),
        ("GB-NIC-NIC100048", "GB-NIC-100048"),
        ("GB-COH-99506232", "GB-COH-99506232"),
        ("GB-COH-9506232", "GB-COH-09506232"),  # padding needs a short number: none is made up
        ("GB-COH-sc123456", "GB-COH-SC123456"),
        ("GB-COH-CE000123", "GB-COH-CE000123"),
        ("GB-MPR-235C", "GB-MPR-235C"),
        ("GB-MPR-IP995455", "GB-MPR-IP995455"),
        ("GB-CASC-DF679063", "GB-CASC-df679063"),
        ("GB-SHPE-LH94401", "GB-SHPE-LH94401"),
        ("XI-PB-12345", "XI-PB-12345"),
    ],
)
def test_real_looking_identifiers_are_stored_in_canonical_form(text: str, expected: str) -> None:
    assert canonical_org_id(text)[2] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("GB-CHC-12345", "Enter a Charity Commission for England and Wales number"),
        ("GB-CHC-12345678", "Enter a Charity Commission for England and Wales number"),
        ("GB-CHC-ABC1234", "Enter a Charity Commission for England and Wales number"),
        ("GB-SC-SC04238", "Enter a Scottish charity number in the correct format"),
        ("GB-SC-NI042386", "Enter a Scottish charity number in the correct format"),
        ("GB-NIC-200019", "Enter a Charity Commission for Northern Ireland number"),
        ("GB-COH-123456789", "Enter a Companies House number in the correct format"),
        ("GB-COH-XX123456", "Enter a Companies House number in the correct format"),
        ("GB-MPR-ABC", "Enter a Mutuals Public Register number"),
        ("GB-CASC-xyz", "Enter a HMRC sports club reference"),
        ("ZZ-NOPE-123", "Enter an identifier that starts with a prefix from the org-id list"),
        ("1090095", "Enter an identifier that starts with a prefix from the org-id list"),
        ("GB-GOVUK-cabinet-office", "no longer used"),
    ],
)
def test_malformed_identifiers_are_refused_naming_the_format(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        canonical_org_id(text)
    assert message in caught.value.messages[0]


def test_the_error_gives_an_example_of_the_right_format() -> None:
    with pytest.raises(ValidationError) as caught:
        canonical_value("GB-CHC", "12")
    assert caught.value.messages == [
        "Enter a Charity Commission for England and Wales number in the correct format, "
        "like 1090095"
    ]


def test_an_empty_number_is_asked_for() -> None:
    with pytest.raises(ValidationError, match="Enter the Companies House number"):
        canonical_value("GB-COH", "  ")


@given(st.integers(min_value=1_000_000, max_value=1_999_999))
def test_every_seven_digit_charity_number_starting_with_1_is_valid(number: int) -> None:
    assert canonical_value("GB-CHC", str(number)) == str(number)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_numeric_company_numbers_are_zero_padded_to_eight(number: int) -> None:
    assert canonical_value("GB-COH", str(number)) == f"{number:08d}"

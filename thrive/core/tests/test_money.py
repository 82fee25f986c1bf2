from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thrive.core.money import format_pence, parse_pounds


@pytest.mark.parametrize(
    ("pence", "shown"),
    [(0, "£0.00"), (5, "£0.05"), (123456, "£1,234.56"), (-250, "-£2.50"), (500000, "£5,000.00")],
)
def test_pence_are_shown_as_pounds(pence: int, shown: str) -> None:
    assert format_pence(pence) == shown


def test_whole_pounds_can_drop_the_pence() -> None:
    assert format_pence(500000, whole_pounds=True) == "£5,000"
    assert format_pence(500001, whole_pounds=True) == "£5,000.01"


@pytest.mark.parametrize(
    ("text", "pence"),
    [("1500", 150000), ("£1,500.50", 150050), (" 12.5 ", 1250), ("0.07", 7), ("£5,000", 500000)],
)
def test_pounds_are_parsed_into_pence(text: str, pence: int) -> None:
    assert parse_pounds(text) == pence


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1,50", "£-5", "1e5", "12.3.4"])
def test_anything_else_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match="Enter an amount in pounds"):
        parse_pounds(text)


@given(st.integers(min_value=0, max_value=10**13))
def test_formatting_then_parsing_gives_the_same_pence(pence: int) -> None:
    assert parse_pounds(format_pence(pence)) == pence

"""The shared form fields and the GOV.UK field tag: every field accepts what it renders."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from thrive.core.forms import DateField, PoundsField, Textarea, TimeField


def rendered(form: forms.Form, name: str) -> str:
    return Template("{% load thrive %}{% field form." + name + " %}").render(
        Context({"form": form})
    )


def shown_value(form: forms.Form, name: str) -> str:
    html = rendered(form, name)
    textarea = re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", html, flags=re.S)
    if textarea:
        return textarea.group(1)
    match = re.search(r'<input[^>]* value="([^"]*)"', html)
    assert match, html
    return match.group(1)


def round_trip(field: forms.Field, value: Any) -> Any:
    """Render the field with the value, post back what it shows, and clean it."""
    form_class = type("OneFieldForm", (forms.Form,), {"thing": field})
    shown = shown_value(form_class(initial={"thing": value}), "thing")
    bound = form_class(data={"thing": shown})
    assert bound.is_valid(), (shown, bound.errors)
    return bound.cleaned_data["thing"]


@pytest.mark.parametrize(
    "field",
    [forms.DateField(), DateField(label="Decision expected by")],
    ids=["django", "thrive"],
)
def test_a_date_field_accepts_the_date_it_shows(field: forms.Field) -> None:
    assert round_trip(field, date(2027, 2, 15)) == date(2027, 2, 15)


def test_an_instant_and_a_time_are_shown_as_they_are_typed() -> None:
    moment = datetime(2027, 2, 15, 17, 30)

    assert round_trip(forms.DateTimeField(), moment).replace(tzinfo=None) == moment
    assert round_trip(forms.TimeField(), time(17, 30)) == time(17, 30)
    assert round_trip(TimeField(), time(9, 5, 30)) == time(9, 5, 30)


def test_a_date_is_shown_as_gov_uk_asks_for_it() -> None:
    form_class = type("F", (forms.Form,), {"day": DateField(label="Day")})

    assert shown_value(form_class(initial={"day": date(2027, 2, 5)}), "day") == "5/2/2027"


@pytest.mark.parametrize(
    "typed",
    [
        "15/2/2027",
        "15/02/2027",
        "2027-02-15",
        "15-2-2027",
        "15.2.2027",
        "15 2 2027",
        "15 Feb 2027",
        "15 feb 2027",
        "15 February 2027",
        "15 FEBRUARY 2027",
        " 15  February, 2027 ",
    ],
)
def test_a_date_is_accepted_as_people_type_it(typed: str) -> None:
    assert DateField(label="Decision expected by").clean(typed) == date(2027, 2, 15)


def test_september_may_be_shortened_to_sept() -> None:
    assert DateField(label="Day").clean("3 Sept 2027") == date(2027, 9, 3)


@pytest.mark.parametrize("typed", ["31/2/2027", "15 Febtember 2027", "tomorrow", "2027"])
def test_a_date_that_is_not_real_is_refused_with_the_field_named(typed: str) -> None:
    with pytest.raises(forms.ValidationError) as error:
        DateField(label="Decision date").clean(typed)

    assert error.value.messages == ["Decision date must be a real date, like 27/3/2027"]


def test_a_missing_date_asks_for_it() -> None:
    with pytest.raises(forms.ValidationError) as error:
        DateField(label="Start date").clean("")

    assert error.value.messages == ["Enter the start date"]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_any_date_comes_back_as_itself(day: date) -> None:
    assert round_trip(DateField(label="Day"), day) == day


@given(st.integers(min_value=0, max_value=10**13))
def test_any_amount_comes_back_as_itself(pence: int) -> None:
    assert round_trip(PoundsField(label="Amount"), pence) == pence


def test_an_amount_is_shown_with_commas_and_pence() -> None:
    form_class = type("F", (forms.Form,), {"amount": PoundsField(label="Amount")})

    assert shown_value(form_class(initial={"amount": 123_456_789}), "amount") == "1,234,567.89"


def test_a_multiple_select_lets_every_chosen_option_be_sent() -> None:
    field = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    form_class = type("F", (forms.Form,), {"letters": field})

    html = rendered(form_class(initial={"letters": ["a", "c"]}), "letters")

    assert re.search(r"<select[^>]* multiple", html)
    assert re.findall(r'<option value="(\w)" selected>', html) == ["a", "c"]


def test_a_textarea_keeps_text_that_starts_on_a_new_line() -> None:
    field = forms.CharField(widget=forms.Textarea, strip=False)

    assert round_trip(field, "\nIndented list:\n- one") == "\nIndented list:\n- one"


def test_a_text_area_sent_with_a_browsers_line_breaks_keeps_the_text_as_shown() -> None:
    form_class = type("F", (forms.Form,), {"notes": forms.CharField(widget=Textarea)})

    form = form_class(data={"notes": "Line one\r\n\r\nLine two"})

    assert form.is_valid()
    assert form.cleaned_data["notes"] == "Line one\n\nLine two"

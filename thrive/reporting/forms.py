"""Forms for reporting: filters and process feedback."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.core.forms import Textarea
from thrive.reporting.selectors.common import current_year, year_label

SCORES = [
    ("5", "5 – very good"),
    ("4", "4 – good"),
    ("3", "3 – neither good nor poor"),
    ("2", "2 – poor"),
    ("1", "1 – very poor"),
]


def _score(label: str, missing: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class ProcessFeedbackForm(forms.Form):
    clarity = _score("How clear was the process?", "Select how clear the process was, from 1 to 5")
    proportionality = _score(
        "How proportionate was it to the amount of money?",
        "Select how proportionate the process was, from 1 to 5",
    )
    fairness = _score("How fair was it?", "Select how fair the process was, from 1 to 5")
    comment = forms.CharField(
        label="Anything else you want to tell us (optional)",
        required=False,
        max_length=2000,
        widget=Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Comment must be 2,000 characters or fewer"},
    )


def _year_choices(years: Any) -> list[tuple[str, str]]:
    """Each year by its label, the year now running marked "so far"."""
    now = current_year()
    return [("", "All years")] + [
        (str(y), f"{year_label(y)} (so far)" if y == now else year_label(y)) for y in years
    ]


class FiltersForm(forms.Form):
    """Year and directorate for the dashboard; bad values fall back to 'all'."""

    year = forms.TypedChoiceField(
        label="Financial year", required=False, coerce=int, empty_value=None
    )
    directorate = forms.TypedChoiceField(
        label="Directorate", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, years: list[int], directorates: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)
        self.fields["directorate"].choices = [("", "All directorates")] + [
            (str(d.pk), d.name) for d in directorates
        ]


class FeedbackCommentsForm(forms.Form):
    """Opportunity and year for the applicants' comments; bad values fall back to 'all'."""

    opportunity = forms.TypedChoiceField(
        label="Opportunity", required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(
        label="Financial year", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, opportunities: list[Any], years: range, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].choices = [("", "All opportunities")] + [
            (str(o.pk), o.title) for o in opportunities
        ]
        self.fields["year"].choices = _year_choices(years)

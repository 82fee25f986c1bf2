"""The survey's answer form: the NI 7 question and three more, in GOV.UK wording."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.core import forms as core_forms
from thrive.strategy.models import Agreement, Influence
from thrive.strategy.survey import OVERALL_QUESTION, SUB_QUESTIONS


class SurveyAnswerForm(forms.Form):
    overall = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how local statutory bodies influence your success"},
    )
    funding = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    involvement = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    relationship = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Anything else you want to tell the council? (optional)",
        required=False,
        widget=core_forms.Textarea,
        max_length=2000,
        help_text="Shown to council staff without your organisation's name. Do not include "
        "names or details that would identify your organisation.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overall"].label = OVERALL_QUESTION
        self.fields["overall"].choices = Influence.choices
        for field, text in SUB_QUESTIONS:
            self.fields[field].label = text
            self.fields[field].help_text = "How far do you agree?"
            self.fields[field].choices = Agreement.choices
            self.fields[field].error_messages["required"] = (
                "Select how far you agree, or \u201cDon\u2019t know or not applicable\u201d"
            )

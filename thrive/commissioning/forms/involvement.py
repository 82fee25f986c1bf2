"""Forms for involving the Third Sector: consultations and soft market testing (§1.5)."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.core.forms import DateField, Textarea


class ConsultationForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    description = forms.CharField(
        label="The draft for consultation",
        widget=Textarea,
        help_text="The draft priorities or intention, in plain words",
        error_messages={"required": "Enter the draft for consultation"},
    )
    opens_on = DateField(label="Opens on", required_message="Enter the opening date")
    closes_on = DateField(
        label="Closes on (optional)",
        required_message="",
        required=False,
        help_text="Leave empty for the default length",
    )
    short_reason = forms.CharField(
        label="If shorter than the default, why", required=False, widget=Textarea
    )

    def __init__(self, *args: Any, directorates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if directorates is not None:
            self.fields["directorate"] = forms.ModelChoiceField(
                label="Directorate",
                queryset=directorates,
                error_messages={"required": "Select the directorate"},
            )
            self.order_fields(["directorate"])


class ResponseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Responding for",
        queryset=None,
        error_messages={"required": "Select your organisation"},
    )
    body = forms.CharField(
        label="Your response",
        widget=Textarea,
        error_messages={"required": "Enter your response"},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary of responses",
        widget=Textarea,
        error_messages={"required": "Enter a summary of the responses"},
    )
    you_said_we_did = forms.CharField(
        label="You said, we did",
        widget=Textarea,
        error_messages={"required": "Enter what you did about what respondents said"},
    )


class MarketTestForm(forms.Form):
    questions = forms.CharField(
        label="Questions",
        widget=Textarea,
        help_text="One question a line, like: How might these outcomes be delivered?",
        error_messages={"required": "Enter at least one question"},
    )
    closes_on = DateField(label="Closes on", required_message="Enter the closing date")


class MarketResponseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Responding for",
        queryset=None,
        error_messages={"required": "Select your organisation"},
    )
    interested = forms.BooleanField(label="We might deliver this", required=False)
    is_commercial = forms.BooleanField(
        label="We are a commercial (for-profit) provider", required=False
    )

    def __init__(self, *args: Any, organisations: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        for index, question in enumerate(questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question, required=False, widget=Textarea
            )
        self.order_fields(["organisation", *(f"answer_{i}" for i in range(len(questions)))])


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label="What the soft market testing found",
        widget=Textarea,
        error_messages={"required": "Enter what the soft market testing found"},
    )
    no_commercial_market = forms.BooleanField(label="There is no commercial market", required=False)

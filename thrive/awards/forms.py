"""Forms for awards: the register's filters, the terms of a draft, the payment schedule,
targets and social value, acceptance, payments and variations."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.awards.models import (
    AwardKind,
    AwardStatus,
    PaymentTiming,
    SocialValueTheme,
    VariationKind,
)
from thrive.core.forms import DateField, PoundsField, Textarea


def date_field(label: str, *, required: bool = True, help_text: str = "") -> DateField:
    kwargs = {"help_text": help_text} if help_text else {}
    return DateField(label=label, required=required, **kwargs)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, help_text="Title, reference, provider or org-id"
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *AwardKind.choices]
    )
    directorate = forms.TypedChoiceField(
        label="Directorate", required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *AwardStatus.choices]
    )
    year = forms.TypedChoiceField(
        label="Financial year starting", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, directorates: list[Any], years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].choices = [("", "Any directorate")] + [
            (d.pk, d.name) for d in directorates
        ]
        self.fields["year"].choices = [("", "Any year")] + [
            (y, f"April {y} to March {y + 1}") for y in years
        ]


class TermsForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=255, error_messages={"required": "Enter a title"}
    )
    description = forms.CharField(label="Description", required=False, widget=Textarea)
    amount = PoundsField(label="Amount (£)", error_messages={"required": "Enter the amount"})
    start_date = date_field("Start date")
    end_date = date_field("End date")
    payment_timing = forms.ChoiceField(
        label="Payments", choices=PaymentTiming.choices, widget=forms.RadioSelect
    )
    pot = forms.TypedChoiceField(
        label="Funding pot",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="The money is committed against this pot; it can never go past its budget.",
    )
    outcomes = forms.TypedMultipleChoiceField(
        label="Outcomes",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    conditions = forms.CharField(label="Conditions", required=False, widget=Textarea)
    short_term_reason = forms.CharField(
        label="Reason for a term shorter than three years",
        required=False,
        widget=Textarea,
        help_text="Needed for a funding agreement or contract of less than three years "
        "(strategy §2.10).",
    )
    notice_period_days = forms.IntegerField(
        label="Notice period (days)",
        min_value=0,
        max_value=730,
        error_messages={
            "required": "Enter the notice period in days",
            "invalid": "Notice period must be a whole number of days",
            "min_value": "Notice period must be 0 days or more",
            "max_value": "Notice period must be 730 days or fewer",
        },
    )

    def __init__(self, *args: Any, pots: list[Any], outcomes: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["pot"].choices = [("", "No pot")] + [
            (p.pk, f"{p} – {p.remaining_pence / 100:,.2f} left") for p in pots
        ]
        self.fields["outcomes"].choices = [(o.pk, f"{o.code} {o.title}") for o in outcomes]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data


class TargetForm(forms.Form):
    description = forms.CharField(label="Target", max_length=255, required=False)
    unit = forms.CharField(label="Unit", max_length=50, required=False, help_text="e.g. people")
    target_value = forms.DecimalField(
        label="Target value",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": "Target value must be a number, like 40"},
    )
    outcome = forms.TypedChoiceField(label="Outcome", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, outcomes: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "None")] + [
            (o.pk, f"{o.code} {o.title}") for o in outcomes
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("description") and data.get("target_value") is None:
            self.add_error("target_value", "Enter the target value")
        if data.get("target_value") is not None and not data.get("description"):
            self.add_error("description", "Describe the target")
        return data


class InstalmentForm(forms.Form):
    due_date = date_field("Due date", required=False)
    amount = PoundsField(label="Amount (£)", required=False)
    requires_accepted_return = forms.BooleanField(
        label="Held until a monitoring return is accepted", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("amount") is not None and not data.get("due_date"):
            self.add_error("due_date", "Enter the due date")
        if data.get("due_date") and data.get("amount") is None:
            self.add_error("amount", "Enter the amount")
        return data


class SocialValueForm(forms.Form):
    theme = forms.ChoiceField(
        label="Theme", required=False, choices=[("", "Choose a theme"), *SocialValueTheme.choices]
    )
    description = forms.CharField(label="Commitment", max_length=255, required=False)
    measure = forms.CharField(label="Measure", max_length=100, required=False)
    target_value = forms.DecimalField(
        label="Target value",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": "Target value must be a number, like 10"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("description") and not data.get("theme"):
            self.add_error("theme", "Choose the theme")
        if data.get("theme") and not data.get("description"):
            self.add_error("description", "Describe the commitment")
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=2, max_num=30)
InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=2, max_num=60)
SocialValueFormSet = forms.formset_factory(SocialValueForm, extra=2, max_num=20)


class AcceptForm(forms.Form):
    name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name to accept the award"},
    )
    confirm = forms.BooleanField(
        label="I have read the award letter and accept its terms on behalf of the organisation",
        error_messages={"required": "Confirm that you accept the terms of the award"},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining the award?",
        widget=Textarea,
        error_messages={"required": "Enter why you are declining the award"},
    )


class PaymentForm(forms.Form):
    note = forms.CharField(
        label="Payment note (optional)",
        max_length=255,
        required=False,
        help_text="For example the payment reference in the finance system",
    )


class VariationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to change?",
        choices=VariationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to change"},
    )
    new_amount = PoundsField(label="New amount (£)", required=False, help_text="For a value change")
    new_end_date = date_field(
        "New end date",
        required=False,
        help_text="For an end date change or a termination. For example, 27/3/2027",
    )
    notice_given_on = date_field(
        "Date notice was given", required=False, help_text="For a termination only"
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=Textarea,
        error_messages={"required": "Enter the reason for the change"},
    )


class VariationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("reject", "Reject")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or reject"},
    )
    note = forms.CharField(
        label="Note", required=False, widget=Textarea, help_text="Needed when rejecting"
    )

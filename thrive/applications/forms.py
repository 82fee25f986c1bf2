"""Forms for applying, submitting, screening, deciding and the small grants checker."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.core.forms import PoundsField
from thrive.organisations.models import Organisation


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, error_messages={"required": "Select the organisation applying"}
    )
    lot = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        label="Which lot are you bidding for?",
    )

    def __init__(self, *args: Any, organisations: list[Any], lots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("name")
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["lot"].queryset = lots
        if not lots.exists():
            del self.fields["lot"]
        else:
            self.fields["lot"].required = True
            self.fields["lot"].error_messages["required"] = "Select the lot you are bidding for"


class UploadForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput())
    file = forms.FileField(label="Upload a file", error_messages={"required": "Select a file"})


class SubmitForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput())
    declaration = forms.BooleanField(
        label="I confirm that the information in this application is correct and that I may "
        "apply on behalf of the organisation",
        error_messages={"required": "Confirm the declaration to submit"},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)", widget=forms.Textarea, required=False
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class EligibilityForm(forms.Form):
    """The Small Grants Scheme's eligibility checker (§3.1)."""

    third_sector = forms.ChoiceField(
        label="Is your group independent of government, run for social, environmental or "
        "cultural aims, and does it put any surplus back into those aims?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if your group is part of the Third Sector"},
    )
    income = PoundsField(
        label="What was your group's total income last year (£)?",
        help_text="Enter 0 if you are a new group.",
        error_messages={"required": "Enter your group's income last year"},
    )
    local_benefit = forms.ChoiceField(
        label="Does your work benefit a local community in the council's area?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if your work benefits a local community"},
    )
    purpose = forms.ChoiceField(
        label="What is the grant for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the grant is for"},
    )
    amount = PoundsField(
        label="How much do you want to ask for (£)?",
        error_messages={"required": "Enter how much you want to ask for"},
    )
    current_grant = forms.ChoiceField(
        label="Do you have a small grant from this council that has not ended yet?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have a current small grant"},
    )

    def __init__(self, *args: Any, purposes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [*purposes, ("other", "Something else")]

    def clean_income(self) -> int:
        value = self.cleaned_data["income"]
        return value if value is not None else 0


class ScreeningForm(forms.Form):
    eligible = forms.ChoiceField(
        label="Is the application eligible?",
        choices=[("yes", "Yes, eligible"), ("no", "No, not eligible")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the application is eligible"},
    )
    reason = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        required=False,
        help_text="Needed if the application is not eligible: the applicant reads them.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("eligible") == "no" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reasons the application is not eligible")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the grant"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    amount = PoundsField(label="Amount to award (£)", required=False)
    reason = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for the decision"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("amount"):
            self.add_error("amount", "Enter the amount to award")
        return data


class OpenBidsForm(forms.Form):
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea, required=False)


class SmallGrantsSettingsForm(forms.Form):
    limit_pence = PoundsField(
        label="Most a small grant may be (£)",
        error_messages={"required": "Enter the most a small grant may be"},
    )
    delegated_limit_pence = PoundsField(
        label="Most one officer may decide alone (£)",
        error_messages={"required": "Enter the most one officer may decide alone"},
    )
    max_income_pence = PoundsField(
        label="Largest annual income of a small organisation (£)",
        error_messages={"required": "Enter the largest annual income of a small organisation"},
    )
    one_current_grant = forms.BooleanField(
        label="An organisation may hold only one current small grant", required=False
    )
    purposes = forms.MultipleChoiceField(
        label="Purposes the scheme pays for",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label="Why are you changing the scheme?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are changing the scheme"},
    )

    def __init__(self, *args: Any, purposes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = purposes

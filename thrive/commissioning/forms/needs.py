"""Forms for needs: recording, evidence, scoring and the council's weights (§2.2, §2.3)."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.commissioning.forms.common import OutcomeChoiceField, council_areas, council_outcomes
from thrive.commissioning.models import (
    FACTOR_HINTS,
    SCORE_LABELS,
    CommissioningSettings,
    EvidenceSource,
    PriorityFactor,
)
from thrive.core.forms import Textarea
from thrive.core.models import Area, BeneficiaryGroup
from thrive.strategy.models import Directorate, Outcome

SCORE_CHOICES = [(str(k), f"{k} – {v}") for k, v in SCORE_LABELS.items()]


class NeedForm(forms.Form):
    title = forms.CharField(
        label="Name of the need",
        max_length=200,
        error_messages={"required": "Enter the name of the need"},
    )
    description = forms.CharField(
        label="Describe the need",
        widget=Textarea,
        help_text="Who is affected, how, and what is not working now",
        error_messages={"required": "Describe the need"},
    )
    area = forms.ModelChoiceField(
        label="Area", queryset=Area.objects.none(), error_messages={"required": "Select the area"}
    )
    groups = forms.ModelMultipleChoiceField(
        label="Groups affected",
        queryset=BeneficiaryGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one group"},
    )
    outcomes = OutcomeChoiceField(
        label="Outcomes it relates to",
        queryset=Outcome.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one outcome"},
    )

    def __init__(self, *args: Any, council: Any, directorates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = council_areas(council)
        self.fields["outcomes"].queryset = council_outcomes(council)
        if directorates is not None and len(directorates) > 1:
            self.fields["directorate"] = forms.ModelChoiceField(
                label="Directorate",
                queryset=Directorate.objects.filter(pk__in=[d.pk for d in directorates]),
                error_messages={"required": "Select the directorate"},
            )


class EvidenceForm(forms.Form):
    source = forms.ChoiceField(
        label="Where the evidence comes from",
        choices=[("", "Select a source"), *EvidenceSource.choices],
        error_messages={"required": "Select where the evidence comes from"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the evidence"}
    )
    summary = forms.CharField(label="What it shows (optional)", required=False, widget=Textarea)
    url = forms.URLField(
        label="Link (optional if you attach a file)",
        required=False,
        assume_scheme="https",
        max_length=500,
        error_messages={
            "invalid": "Enter a link in the correct format, like https://www.example.org/report"
        },
    )
    file = forms.FileField(label="Or attach a file", required=False)


class ScoreForm(forms.Form):
    statutory = forms.BooleanField(
        label="There is a statutory requirement for this provision", required=False
    )
    statutory_basis = forms.CharField(
        label="Statutory basis",
        required=False,
        max_length=255,
        help_text="The law or duty, like the Care Act 2014, s.2",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in PriorityFactor:
            self.fields[factor.value] = forms.TypedChoiceField(
                label=factor.label,
                coerce=int,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                help_text=FACTOR_HINTS[factor.value],
                error_messages={"required": f"Select a score for {factor.label.lower()}"},
            )
            self.fields[f"note_{factor.value}"] = forms.CharField(
                label=f"Why this score for {factor.label.lower()}?",
                required=False,
                widget=Textarea,
            )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CommissioningSettings
        fields = [
            *(f"weight_{f}" for f in PriorityFactor.values),
            "consultation_weeks",
            "notice_months",
            "withdrawal_share_percent",
            "minimum_term_months",
        ]
        labels = {f"weight_{f.value}": f"Weight: {f.label.lower()}" for f in PriorityFactor} | {
            "consultation_weeks": "Consultation length in weeks",
            "notice_months": "Months of notice before funding ends",
            "withdrawal_share_percent": "Warn at this share of income (percent)",
            "minimum_term_months": "Normal minimum term in months",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["required"] = (
                f"Enter the {field.label[0].lower()}{field.label[1:]}"
            )
            field.error_messages["invalid"] = f"{field.label} must be a whole number"
            field.widget.attrs["inputmode"] = "numeric"
            field.widget.input_type = "text"
            del name

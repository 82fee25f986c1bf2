"""Staff forms: adding, reviewing duplicates, importing, searching and filtering."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.core import uploads
from thrive.core.models import Area, BeneficiaryGroup
from thrive.organisations import extensions
from thrive.organisations.forms.common import (
    AreaFilterField,
    OutcomeFilterField,
    area_choices,
    outcome_choices,
)
from thrive.organisations.models import (
    LegalForm,
    SizeBand,
    TestOutcome,
    normalise_postcode,
)
from thrive.organisations.selectors import REGISTER_FLAGS, RegisterFilters
from thrive.strategy.models import Outcome


class StaffAddOrganisationForm(forms.Form):
    name = forms.CharField(
        label="Organisation name",
        max_length=255,
        error_messages={"required": "Enter the organisation's name"},
    )
    legal_form = forms.ChoiceField(
        label="Legal form",
        choices=LegalForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation's legal form"},
    )
    org_id = forms.CharField(
        label="Identifier (optional)",
        required=False,
        max_length=82,
        help_text="An org-id, like GB-CHC-1090095 or GB-COH-09506232.",
    )
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(
        label="Which record should be kept?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the record to keep"},
    )
    reason = forms.CharField(
        label="Why are these the same organisation?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why these records are the same organisation"},
    )

    def __init__(self, *args: Any, candidate: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (candidate.first_id, f"{candidate.first.name} (record {candidate.first_id})"),
            (candidate.second_id, f"{candidate.second.name} (record {candidate.second_id})"),
        ]


class NotDuplicateForm(forms.Form):
    not_duplicate_reason = forms.CharField(
        label="Why are these different organisations?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why these are different organisations"},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or XLSX file with the columns listed above.",
        error_messages={"required": "Select a CSV or XLSX file"},
    )
    dry_run = forms.BooleanField(
        label="Check the file only: show what would change and save nothing",
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX")
        uploads.check_size(upload)
        uploads.scan_for_viruses(upload)
        return upload


YES_NO_ANY = [("", "Any"), ("yes", "Yes"), ("no", "No")]


def _funder_choices() -> list[tuple[str, str]]:
    """Each funder in the imported grants once (asked only when the field is shown or used)."""
    return [("", "Any"), *extensions.funder_choices()]


def _charity_register_choices() -> list[tuple[str, str]]:
    flags = list(REGISTER_FLAGS.items())
    return [("", "Any"), ("yes", "Flagged for any reason"), *flags, ("no", "Not flagged")]


class RegisterFilterForm(forms.Form):
    """The register's search box and filters (GET)."""

    q = forms.CharField(label="Search by name or identifier", required=False, max_length=200)
    legal_form = forms.ChoiceField(
        label="Legal form", required=False, choices=[("", "Any"), *LegalForm.choices]
    )
    size_band = forms.ChoiceField(
        label="Size", required=False, choices=[("", "Any"), *SizeBand.choices]
    )
    area = AreaFilterField(
        label="Area served", required=False, queryset=Area.objects.none(), empty_label="Any"
    )
    beneficiary_group = forms.ModelChoiceField(
        label="Beneficiary group",
        required=False,
        queryset=BeneficiaryGroup.objects.all(),
        empty_label="Any",
    )
    outcome = OutcomeFilterField(
        label="Outcome", required=False, queryset=Outcome.objects.none(), empty_label="Any"
    )
    funded = forms.ChoiceField(label="Funded by your council", required=False, choices=YES_NO_ANY)
    third_sector = forms.ChoiceField(
        label="Third Sector test",
        required=False,
        choices=[("", "Any"), *TestOutcome.choices],
    )
    funded_by_others = forms.ChoiceField(
        label="Funded by other funders",
        help_text="Grants from other funders, in the 360Giving files imported",
        required=False,
        choices=YES_NO_ANY,
    )
    funder = forms.ChoiceField(label="By funder", required=False, choices=_funder_choices)
    charity_register = forms.ChoiceField(
        label="Flagged by the charity register",
        help_text="The latest check of charity numbers against the Charity Commission's register",
        required=False,
        choices=_charity_register_choices,
    )

    def __init__(self, *args: Any, council: Any = None, **kwargs: Any) -> None:
        """``council``: offer only that council's areas and outcomes (an officer's own)."""
        super().__init__(*args, **kwargs)
        for name, choices in [("area", area_choices), ("outcome", outcome_choices)]:
            self.fields[name].queryset = choices(council)
            if council is not None:
                self.fields[name].several_councils = False

    def filters(self) -> RegisterFilters:
        if not self.is_valid():
            return RegisterFilters()
        data = self.cleaned_data
        return RegisterFilters(
            q=data["q"],
            legal_form=data["legal_form"],
            size_band=data["size_band"],
            area=data["area"].pk if data["area"] else None,
            beneficiary_group=data["beneficiary_group"].pk if data["beneficiary_group"] else None,
            outcome=data["outcome"].pk if data["outcome"] else None,
            funded=data["funded"],
            third_sector=data["third_sector"],
            funded_by_others=data["funded_by_others"],
            funder=data["funder"],
            charity_register=data["charity_register"],
        )


class DirectoryFilterForm(RegisterFilterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in [
            "legal_form",
            "size_band",
            "funded",
            "third_sector",
            "funded_by_others",
            "funder",
            "charity_register",
        ]:
            del self.fields[name]
        self.fields["q"].label = "Search by name"

    def filters(self) -> RegisterFilters:
        if not self.is_valid():
            return RegisterFilters()
        data = self.cleaned_data
        return RegisterFilters(
            q=data["q"],
            area=data["area"].pk if data["area"] else None,
            beneficiary_group=data["beneficiary_group"].pk if data["beneficiary_group"] else None,
            outcome=data["outcome"].pk if data["outcome"] else None,
        )

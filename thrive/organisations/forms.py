"""Organisation forms: the shape of the input, with GOV.UK wording for every error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.core.models import Area, BeneficiaryGroup
from thrive.core.money import parse_pounds
from thrive.organisations.identifiers import scheme_choices
from thrive.organisations.models import (
    LegalForm,
    Organisation,
    SizeBand,
    TestAnswer,
    TestOutcome,
    normalise_postcode,
)
from thrive.strategy.models import Outcome

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        if Council.objects.count() > 1 and obj.council_id:
            return f"{obj.name} ({obj.council})"
        return obj.name


class OutcomeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Outcome) -> str:
        return f"{obj.code}: {obj.title}"


def _areas() -> Any:
    return Area.objects.select_related("council").order_by("council__name", "-county_wide", "name")


class OrganisationForm(forms.ModelForm):
    """The profile an organisation keeps up to date."""

    areas = AreaChoiceField(
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Areas served",
        help_text="Choose county-wide if you work across the whole county.",
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a website address in the correct format, like https://www.example.org"
        },
    )
    beneficiary_groups = forms.ModelMultipleChoiceField(
        queryset=BeneficiaryGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who you work with",
        help_text="Select all that apply.",
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "other_names",
            "legal_form",
            "description",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "website",
            "email",
            "phone",
            "areas",
            "beneficiary_groups",
            "directory_opt_in",
            "publish_website",
            "publish_email",
            "publish_phone",
            "publish_address",
        ]
        labels = {
            "name": "Organisation name",
            "other_names": "Other names (optional)",
            "legal_form": "Legal form",
            "description": "What the organisation does (optional)",
            "address_line_1": "Address line 1 (optional)",
            "address_line_2": "Address line 2 (optional)",
            "town": "Town or city (optional)",
            "postcode": "Postcode (optional)",
            "website": "Website (optional)",
            "email": "Email address (optional)",
            "phone": "Phone number (optional)",
            "directory_opt_in": "List the organisation in the public provider directory",
            "publish_website": "Publish the website in the directory",
            "publish_email": "Publish the email address in the directory",
            "publish_phone": "Publish the phone number in the directory",
            "publish_address": "Publish the address in the directory",
        }
        help_texts = {
            "other_names": "Names you are also known by, one a line.",
            "directory_opt_in": "The directory shows your name, services and areas to the public.",
        }
        widgets = {"legal_form": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the organisation's name"},
            "legal_form": {"required": "Select the organisation's legal form"},
            "email": {"invalid": EMAIL_INVALID},
            "website": {
                "invalid": "Enter a website address in the correct format, like https://www.example.org"
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = _areas()
        self.fields["legal_form"].required = True
        self.fields["legal_form"].choices = LegalForm.choices

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc

    def profile_changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("areas", "beneficiary_groups")
        }


class RegisterOrganisationForm(forms.Form):
    """Self-service registration: the organisation's basics and, if needed, an account."""

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
    charity_number = forms.CharField(
        label="Charity number (optional)",
        required=False,
        max_length=20,
        help_text="Charity Commission for England and Wales, like 1090095.",
    )
    company_number = forms.CharField(
        label="Company number (optional)",
        required=False,
        max_length=20,
        help_text="Companies House, like 09506232.",
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter the organisation's postcode"},
    )
    org_email = forms.EmailField(
        label="Organisation's email address (optional)",
        required=False,
        error_messages={"invalid": EMAIL_INVALID},
    )
    first_name = forms.CharField(
        label="Your first name",
        max_length=150,
        error_messages={"required": "Enter your first name"},
    )
    last_name = forms.CharField(
        label="Your last name", max_length=150, error_messages={"required": "Enter your last name"}
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="You will use this to sign in.",
        error_messages={"required": "Enter your email address", "invalid": EMAIL_INVALID},
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 10 characters. Avoid common passwords.",
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label="Confirm password",
        strip=False,
        error_messages={"required": "Confirm your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    ACCOUNT_FIELDS = ("first_name", "last_name", "email", "password", "password_confirm")

    def __init__(self, *args: Any, with_account: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_account = with_account
        if not with_account:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data.get("postcode", ""))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.with_account:
            _check_passwords(self, data)
        return data

    def org_ids(self) -> list[str]:
        ids = []
        if self.cleaned_data.get("charity_number"):
            ids.append(f"GB-CHC-{self.cleaned_data['charity_number']}")
        if self.cleaned_data.get("company_number"):
            ids.append(f"GB-COH-{self.cleaned_data['company_number']}")
        return ids


def _check_passwords(form: forms.Form, data: dict[str, Any]) -> None:
    password = data.get("password")
    if password and data.get("password_confirm") and password != data["password_confirm"]:
        form.add_error("password_confirm", "The passwords do not match")
    elif password:
        try:
            password_validation.validate_password(password)
        except forms.ValidationError as exc:
            form.add_error("password", exc)


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


class IdentifierForm(forms.Form):
    scheme = forms.ChoiceField(
        label="Register",
        error_messages={"required": "Select the register", "invalid_choice": "Select the register"},
    )
    value = forms.CharField(
        label="Number in that register",
        max_length=60,
        error_messages={"required": "Enter the number"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = scheme_choices()


class ThirdSectorTestForm(forms.Form):
    """The three questions of the Third Sector test (§1.4), each with evidence."""

    independent = forms.ChoiceField(
        label="Is the organisation independent of government?",
        choices=TestAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the organisation is independent of government"},
    )
    independent_evidence = forms.CharField(
        label="Evidence of independence",
        widget=forms.Textarea,
        help_text="For example, who appoints your trustees or directors.",
        error_messages={"required": "Give evidence for your answer about independence"},
    )
    value_driven = forms.ChoiceField(
        label="Is the organisation value-driven?",
        choices=TestAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the organisation is value-driven"},
    )
    value_driven_evidence = forms.CharField(
        label="Evidence that the organisation is value-driven",
        widget=forms.Textarea,
        help_text="For example, your charitable objects or community purpose.",
        error_messages={"required": "Give evidence for your answer about being value-driven"},
    )
    reinvests_surpluses = forms.ChoiceField(
        label="Does the organisation reinvest its surpluses?",
        choices=TestAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the organisation reinvests its surpluses"},
    )
    reinvests_surpluses_evidence = forms.CharField(
        label="Evidence of reinvesting surpluses",
        widget=forms.Textarea,
        help_text="For example, an asset lock or what your rules say about profits.",
        error_messages={"required": "Give evidence for your answer about surpluses"},
    )

    QUESTIONS = ("independent", "value_driven", "reinvests_surpluses")

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.QUESTIONS}

    def evidence(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"{name}_evidence"] for name in self.QUESTIONS}


class IncomeForm(forms.Form):
    year = forms.IntegerField(
        label="Year the financial year ended",
        help_text="For example, 2025.",
        error_messages={
            "required": "Enter the year the financial year ended",
            "invalid": "Enter the year as a number, like 2025",
        },
    )
    amount = forms.CharField(
        label="Total income in that year, in pounds",
        error_messages={"required": "Enter the total income"},
    )

    def clean_amount(self) -> int:
        try:
            return parse_pounds(self.cleaned_data["amount"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(
                f"Enter a year between 1900 and {timezone.localdate().year}"
            )
        return year


class ServiceForm(forms.Form):
    name = forms.CharField(
        label="Name of the service",
        max_length=200,
        error_messages={"required": "Enter the name of the service"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )
    outcomes = OutcomeChoiceField(
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Outcomes the service works towards",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = Outcome.objects.active().order_by("council_id", "order")


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter the contact's name"}
    )
    role = forms.CharField(label="Role (optional)", required=False, max_length=200)
    email = forms.EmailField(
        label="Email address (optional)", required=False, error_messages={"invalid": EMAIL_INVALID}
    )
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30)
    is_main = forms.BooleanField(label="This is the main contact", required=False)


class JoinForm(forms.Form):
    message = forms.CharField(
        label="Message to the organisation's admins (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Say who you are and what you do for the organisation.",
    )
    first_name = RegisterOrganisationForm.base_fields["first_name"]
    last_name = RegisterOrganisationForm.base_fields["last_name"]
    email = RegisterOrganisationForm.base_fields["email"]
    password = RegisterOrganisationForm.base_fields["password"]
    password_confirm = RegisterOrganisationForm.base_fields["password_confirm"]

    def __init__(self, *args: Any, with_account: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_account = with_account
        if not with_account:
            for name in RegisterOrganisationForm.ACCOUNT_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.with_account:
            _check_passwords(self, data)
        return data


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
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The selected file must be smaller than 20MB")
        return upload


YES_NO_ANY = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class RegisterFilterForm(forms.Form):
    """The register's search box and filters (GET)."""

    q = forms.CharField(label="Search by name or identifier", required=False, max_length=200)
    legal_form = forms.ChoiceField(
        label="Legal form", required=False, choices=[("", "Any"), *LegalForm.choices]
    )
    size_band = forms.ChoiceField(
        label="Size", required=False, choices=[("", "Any"), *SizeBand.choices]
    )
    area = forms.ModelChoiceField(
        label="Area served", required=False, queryset=Area.objects.none(), empty_label="Any"
    )
    beneficiary_group = forms.ModelChoiceField(
        label="Beneficiary group",
        required=False,
        queryset=BeneficiaryGroup.objects.all(),
        empty_label="Any",
    )
    outcome = forms.ModelChoiceField(
        label="Outcome", required=False, queryset=Outcome.objects.none(), empty_label="Any"
    )
    funded = forms.ChoiceField(label="Funded by your council", required=False, choices=YES_NO_ANY)
    third_sector = forms.ChoiceField(
        label="Third Sector test",
        required=False,
        choices=[("", "Any"), *TestOutcome.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()
        self.fields["outcome"].queryset = Outcome.objects.active().order_by("council_id", "order")

    def filters(self) -> Any:
        from thrive.organisations.selectors import RegisterFilters

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
        )


class DirectoryFilterForm(RegisterFilterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ["legal_form", "size_band", "funded", "third_sector"]:
            del self.fields[name]
        self.fields["q"].label = "Search by name"

    def filters(self) -> Any:
        from thrive.organisations.selectors import RegisterFilters

        if not self.is_valid():
            return RegisterFilters()
        data = self.cleaned_data
        return RegisterFilters(
            q=data["q"],
            area=data["area"].pk if data["area"] else None,
            beneficiary_group=data["beneficiary_group"].pk if data["beneficiary_group"] else None,
            outcome=data["outcome"].pk if data["outcome"] else None,
        )

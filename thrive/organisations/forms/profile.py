"""Forms that keep an organisation's profile up to date."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from thrive.core.models import Area, BeneficiaryGroup
from thrive.core.money import parse_pounds
from thrive.organisations.forms.common import (
    EMAIL_INVALID,
    AreaChoiceField,
    OutcomeChoiceField,
    area_choices,
)
from thrive.organisations.identifiers import scheme_choices
from thrive.organisations.models import (
    LegalForm,
    Organisation,
    TestAnswer,
    normalise_postcode,
)
from thrive.strategy.models import Outcome


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
        self.fields["areas"].queryset = area_choices()
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
        help_text="Name your governing document (constitution, trust deed, articles of "
        "association or society rules) and say who appoints your trustees, directors or "
        "committee. Give your charity, company or society number if you have one.",
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
        help_text="Quote the objects or purpose in your governing document: the social, "
        "environmental or cultural aims you work for.",
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
        help_text="Say what your governing document says about profits (for example, an "
        "asset lock) and what your latest accounts show you did with any surplus.",
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

"""Self-service forms: registering an organisation and asking to join one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from thrive.organisations.forms.common import EMAIL_INVALID
from thrive.organisations.models import (
    LegalForm,
    normalise_postcode,
)


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
            check_passwords(self, data)
        return data

    def org_ids(self) -> list[str]:
        ids = []
        if self.cleaned_data.get("charity_number"):
            ids.append(f"GB-CHC-{self.cleaned_data['charity_number']}")
        if self.cleaned_data.get("company_number"):
            ids.append(f"GB-COH-{self.cleaned_data['company_number']}")
        return ids


def check_passwords(form: forms.Form, data: dict[str, Any]) -> None:
    password = data.get("password")
    if password and data.get("password_confirm") and password != data["password_confirm"]:
        form.add_error("password_confirm", "The passwords do not match")
    elif password:
        try:
            password_validation.validate_password(password)
        except forms.ValidationError as exc:
            form.add_error("password", exc)


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
            check_passwords(self, data)
        return data


class MemberRoleForm(forms.Form):
    """An organisation admin chooses a member's role."""

    role = forms.ChoiceField(
        label="Role",
        choices=[
            ("admin", "Organisation admin"),
            ("member", "Member"),
        ],
        widget=forms.RadioSelect,
        help_text="Admins can invite colleagues, approve people who ask to join, and change "
        "who is a member or an admin.",
        error_messages={"required": "Select the person's role"},
    )

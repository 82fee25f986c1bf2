"""Account forms: GOV.UK wording for every error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label="Email address or username",
        max_length=254,
        error_messages={"required": "Enter your email address or username"},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address or username and password. "
        "After 5 wrong attempts you will have to wait 15 minutes.",
        "inactive": "This account has been closed. Contact the council's Third Sector team.",
    }


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We will send a link to reset your password to this address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 10 characters. Avoid common passwords."
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


class InviteColleagueForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We will email an invitation to join your organisation. It lasts 14 days.",
        error_messages={
            "required": "Enter your colleague's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    as_admin = forms.BooleanField(
        label="Make them an organisation admin",
        help_text="Admins can invite colleagues and approve people who ask to join.",
        required=False,
    )


class CreateAccountForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter your first name"},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter your last name"},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
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

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password = data.get("password")
        if password and data.get("password_confirm") and password != data["password_confirm"]:
            self.add_error("password_confirm", "The passwords do not match")
        elif password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say what will use it, for example 'Finance spreadsheet import'.",
        error_messages={"required": "Enter a name for the token"},
    )

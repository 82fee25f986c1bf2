"""Account forms: GOV.UK wording for every error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from thrive.accounts.models import Role, RoleAssignment, TodoEmails


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
    error_messages = {"password_mismatch": "The passwords do not match"}  # a message  # nosec B105

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


class TodoEmailsForm(forms.Form):
    todo_emails = forms.ChoiceField(
        label="How should we tell you about new items on your to-do list?",
        choices=TodoEmails.choices,
        widget=forms.RadioSelect,
        help_text="How we tell you about things waiting for you: a decision to approve, "
        "a return to review, a question to answer.",
        error_messages={
            "required": "Select how you want to hear about new to-do items",
            "invalid_choice": "Select how you want to hear about new to-do items",
        },
    )


COUNCIL_ROLE_CHOICES = [(r.value, r.label) for r in Role if r != Role.SYSTEM_ADMIN]


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=COUNCIL_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=None,
        required=False,
        empty_label="Not tied to a directorate",
        help_text="Commissioners manage the work of one directorate.",
    )

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The council's active directorates: the model a role assignment's directorate names
        # (the strategy app's, above accounts, so it is not imported here).
        directorates = RoleAssignment._meta.get_field("directorate").related_model
        self.fields["directorate"].queryset = directorates._default_manager.filter(
            council=council, is_active=True
        )


class StaffMemberForm(StaffRolesForm):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="We will send a link to choose a password to this address.",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    field_order = ["first_name", "last_name", "email", "roles", "directorate"]


class CloseAccountForm(forms.Form):
    reason = forms.CharField(
        label="Why are you closing this account?",
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are closing this account"},
    )


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        strip=True,
        help_text="The 6-digit code your app shows now, or one of your backup codes.",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


class TwoFactorSetupForm(forms.Form):
    code = forms.CharField(
        label="Enter the 6-digit code your app shows",
        max_length=10,
        strip=True,
        error_messages={"required": "Enter the 6-digit code your authenticator app shows"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class TwoFactorTurnOffForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Or a code from your authenticator app",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("password") and not data.get("code"):
            self.add_error("password", "Enter your password or a code from your app")
        return data


class ResetTwoFactorForm(forms.Form):
    reason = forms.CharField(
        label="Why are you resetting their two-factor sign-in?",
        max_length=500,
        widget=forms.Textarea,
        help_text="For example, they lost their phone. This is recorded in the audit log.",
        error_messages={"required": "Enter why you are resetting their two-factor sign-in"},
    )

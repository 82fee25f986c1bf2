"""The council administrator's form for the council's contact details and logo."""

from __future__ import annotations

from django import forms

from thrive.accounts.services.council_details import LOGO_MAX_BYTES


class CouncilDetailsForm(forms.Form):
    contact_email = forms.EmailField(
        label="Contact email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk"
        },
    )
    phone = forms.CharField(
        label="Contact telephone number (optional)",
        required=False,
        max_length=40,
        error_messages={"max_length": "Telephone number must be 40 characters or fewer"},
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="For example, https://www.example.gov.uk",
        error_messages={"invalid": "Enter a website address, like https://www.example.gov.uk"},
    )
    postal_address = forms.CharField(
        label="Postal address (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Postal address must be 500 characters or fewer"},
    )
    logo = forms.FileField(
        label="Logo (optional)",
        required=False,
        help_text=f"A PNG or JPEG image, smaller than {LOGO_MAX_BYTES // 1024}KB. "
        "It is shown next to the council's name.",
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)

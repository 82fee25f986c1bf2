"""The council's publishing settings, checked against the standards' identifier rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from thrive.opendata.models import PublisherSettings
from thrive.organisations.identifiers import canonical_org_id

GRANT_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")
OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")


class PublisherForm(forms.ModelForm):
    class Meta:
        model = PublisherSettings
        fields = ["grant_prefix", "ocid_prefix", "funder_org_id"]
        labels = {
            "grant_prefix": "360Giving identifier prefix",
            "ocid_prefix": "OCDS ocid prefix",
            "funder_org_id": "The council's organisation identifier",
        }
        help_texts = {
            "grant_prefix": "The part after 360G- that 360Giving registered for the council, "
            "for example westshire. Grant identifiers are 360G-prefix-award reference.",
            "ocid_prefix": "Registered with the Open Contracting Partnership: ocds- then six "
            "letters or digits, for example ocds-a1b2c3.",
            "funder_org_id": "An org-id, for example GB-LAE-KEN (Kent County Council's local "
            "authority code). Leave it empty until the council has one: the open data then "
            "names the council 360G-prefix-COUNCIL.",
        }
        error_messages = {
            "grant_prefix": {"required": "Enter the 360Giving identifier prefix"},
            "ocid_prefix": {"required": "Enter the OCDS ocid prefix"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Empty until the council's org-id is known: no identifier is made up for it.
        self.fields["funder_org_id"].required = False

    def clean_grant_prefix(self) -> str:
        value = self.cleaned_data["grant_prefix"].strip()
        if value.upper().startswith("360G-"):
            raise ValidationError("Enter only the part after 360G-, for example westshire")
        if not GRANT_PREFIX.match(value):
            raise ValidationError(
                "The 360Giving prefix must be letters, digits and hyphens, starting with a "
                "letter or digit"
            )
        return value

    def clean_ocid_prefix(self) -> str:
        value = self.cleaned_data["ocid_prefix"].strip()
        if not OCID_PREFIX.match(value):
            raise ValidationError(
                "The ocid prefix must be ocds- then six lower-case letters or digits, "
                "like ocds-a1b2c3"
            )
        return value

    def clean_funder_org_id(self) -> str:
        value = self.cleaned_data["funder_org_id"].strip()
        if not value:
            return ""
        try:
            return canonical_org_id(value)[2]
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc

"""The Third Sector test (§1.4) asked at registration, and an officer's review of it."""

from __future__ import annotations

from django import forms

from thrive.organisations.forms.profile import ThirdSectorTestForm
from thrive.organisations.forms.selfservice import RegisterOrganisationForm
from thrive.organisations.models import TestReview


class RegisterWithTestForm(RegisterOrganisationForm, ThirdSectorTestForm):
    """Registration asks the Third Sector test's questions before the account details."""

    field_order = [
        *(
            name
            for name in RegisterOrganisationForm.base_fields
            if name not in RegisterOrganisationForm.ACCOUNT_FIELDS
        ),
        *ThirdSectorTestForm.base_fields,
        *RegisterOrganisationForm.ACCOUNT_FIELDS,
    ]


class ThirdSectorReviewForm(forms.Form):
    review = forms.ChoiceField(
        label="Do you confirm the answers?",
        choices=[
            (TestReview.CONFIRMED.value, "Yes, the answers and evidence are sound"),
            (TestReview.QUERIED.value, "No, query them with the organisation"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you confirm or query the answers"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea,
        help_text="Needed for a query: the organisation sees it on its profile.",
    )

    def clean(self) -> dict[str, str]:
        data = super().clean()
        if data.get("review") == TestReview.QUERIED and not data.get("reason", "").strip():
            self.add_error("reason", "Enter what the organisation needs to explain or change")
        return data

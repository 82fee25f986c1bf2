"""Forms for the outcomes framework and directorates: GOV.UK wording."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.strategy.models import Directorate, Outcome, OutcomeKind


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "parent", "code", "title", "description", "order", "is_active"]
        labels = {
            "kind": "Kind of outcome",
            "parent": "Sits under (optional)",
            "code": "Code",
            "order": "Position in the list",
            "is_active": "In use",
        }
        help_texts = {"code": "A short code, like PO1 or DLC2"}
        error_messages = {
            "kind": {"required": "Select the kind of outcome"},
            "code": {"required": "Enter a code"},
            "title": {"required": "Enter the outcome's title"},
            "order": {"required": "Enter a position", "invalid": "Position must be a number"},
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.council = council
        parents = Outcome.objects.for_council(council.pk)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["kind"].choices = OutcomeKind.choices

    def validate_unique(self) -> None:
        if (
            Outcome.objects.filter(
                council=self.instance.council, code=self.cleaned_data.get("code")
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("code", "An outcome with this code already exists")


class DirectorateForm(forms.ModelForm):
    class Meta:
        model = Directorate
        fields = ["name", "code", "is_active"]
        labels = {"code": "Short code", "is_active": "In use"}
        help_texts = {"code": "Lower-case letters, numbers and hyphens, like public-health"}
        error_messages = {
            "name": {"required": "Enter the directorate's name"},
            "code": {
                "required": "Enter a short code",
                "invalid": "Code must use only lower-case letters, numbers and hyphens",
            },
        }

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.council = council

    def validate_unique(self) -> None:
        if (
            Directorate.objects.filter(
                council=self.instance.council, code=self.cleaned_data.get("code")
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("code", "A directorate with this code already exists")

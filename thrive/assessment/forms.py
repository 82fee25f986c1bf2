"""Forms for panels, declarations, scoring, moderation, decisions and settings."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.accounts.models import Role
from thrive.assessment.services.scores import Given
from thrive.core.forms import DateField, PoundsField, Textarea
from thrive.opportunities.models import Criterion

SCORE_NA = "na"
PASS, FAIL = "pass", "fail"


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Assessor", queryset=None, error_messages={"required": "Select the assessor"}
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class RemoveMemberForm(forms.Form):
    reason = forms.CharField(
        label="Why is this assessor being taken off the panel?",
        max_length=500,
        widget=Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the assessor is taken off the panel"},
    )


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with any applicant?",
        choices=[("no", "No, I have no conflict of interest"), ("yes", "Yes")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you have a conflict of interest"},
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations you have a conflict with",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Describe the conflict (for example, you are a trustee)",
        widget=Textarea,
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations


def _score_choices(criterion: Criterion) -> list[tuple[str, str]]:
    if criterion.is_gate:
        return [(PASS, "Pass"), (FAIL, "Fail")]
    points = [(str(p["score"]), f"{p['score']}: {p['descriptor']}") for p in criterion.scale_points]
    return [*points, (SCORE_NA, "Not applicable (left out of the total, not scored 0)")]


class ScoresForm(forms.Form):
    """One score (or pass/fail, or not applicable) and one comment per criterion."""

    def __init__(
        self, *args: Any, criteria: list[Criterion], comment_label: str = "Comment", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.is_price]
        for c in self.criteria:
            self.fields[f"criterion_{c.pk}"] = forms.ChoiceField(
                label=f"{c.title}" + (" (pass or fail)" if c.is_gate else f" ({c.weight}%)"),
                help_text=c.description,
                choices=_score_choices(c),
                widget=forms.RadioSelect,
                error_messages={"required": f"Select a score for {c.title}"},
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=f"{comment_label} on {c.title}", widget=Textarea, required=False
            )

    def given(self) -> list[Given]:
        found = []
        for c in self.criteria:
            value = self.cleaned_data[f"criterion_{c.pk}"]
            found.append(
                Given(
                    criterion=c,
                    score=None if value in (SCORE_NA, PASS, FAIL) else int(value),
                    not_applicable=value == SCORE_NA,
                    passed=(value == PASS) if c.is_gate else None,
                    comment=self.cleaned_data.get(f"comment_{c.pk}") or "",
                )
            )
        return found

    def pairs(self) -> list[tuple[Any, Any, Criterion]]:
        return [(self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"], c) for c in self.criteria]


def initial_from(rows: dict[int, Any]) -> dict[str, str]:
    """Form data from saved scores (an assessor's own, or the agreed ones)."""
    initial = {}
    for criterion_id, row in rows.items():
        if row.passed is not None:
            value = PASS if row.passed else FAIL
        elif row.not_applicable:
            value = SCORE_NA
        else:
            value = str(int(row.score)) if row.score is not None else ""
        initial[f"criterion_{criterion_id}"] = value
        initial[f"comment_{criterion_id}"] = getattr(row, "comment", "") or getattr(
            row, "reason", ""
        )
    return initial


class RecommendForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label="Applications you recommend",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the application(s) you recommend"},
    )
    pot = forms.ModelChoiceField(
        label="Funding pot", queryset=None, required=False, empty_label="No pot"
    )
    start_date = DateField(label="Start date")
    end_date = DateField(label="End date")
    reason = forms.CharField(
        label="Reasons for the recommendation",
        widget=Textarea,
        error_messages={"required": "Enter the reasons for the recommendation"},
    )

    def __init__(self, *args: Any, applications: Any, pots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["pot"].queryset = pots


class ApproveForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("send_back", "Send back to the panel")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or send back"},
    )
    note = forms.CharField(label="Note (needed to send back)", widget=Textarea, required=False)


LIMIT_ROLES = (
    Role.COMMISSIONER,
    Role.PROCUREMENT_OFFICER,
    Role.FINANCE_OFFICER,
    Role.STRATEGY_GROUP,
)


class SettingsForm(forms.Form):
    standstill_days = forms.IntegerField(
        label="Standstill period for contracts (days)",
        min_value=0,
        max_value=90,
        error_messages={
            "required": "Enter the standstill period",
            "invalid": "Enter a whole number of days",
            "min_value": "Enter a standstill period of 0 to 90 days",
            "max_value": "Enter a standstill period of 0 to 90 days",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role in LIMIT_ROLES:
            self.fields[f"limit_{role}"] = PoundsField(
                label=f"Delegated limit: {Role(role).label} (£)",
                error_messages={"required": f"Enter the {Role(role).label.lower()}'s limit"},
            )

    def limits(self) -> dict[str, int]:
        return {role: self.cleaned_data[f"limit_{role}"] for role in LIMIT_ROLES}

"""Forms for funding pots, budgets, contributions, commitments and merges."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from thrive.core import forms as core_forms
from thrive.core.money import format_pence
from thrive.strategy.models import Directorate, PotKind

AMOUNT_HINT = "In pounds, for example 25000 or 25,000.50"


class PoundsField(core_forms.PoundsField):
    """An amount in pounds with the amount hint, cleaned to integer pence."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", AMOUNT_HINT)
        super().__init__(**kwargs)


def _year_choices() -> list[tuple[int, str]]:
    today = timezone.localdate()
    first = today.year if today.month >= 4 else today.year - 1
    return [(y, f"{y}/{(y + 1) % 100:02d}") for y in range(first - 1, first + 4)]


class PotForm(forms.Form):
    name = forms.CharField(
        label="Name of the pot", max_length=200, error_messages={"required": "Enter a name"}
    )
    kind = forms.ChoiceField(
        label="Kind of pot",
        widget=forms.RadioSelect,
        choices=[c for c in PotKind.choices if c[0] != PotKind.MERGED],
        error_messages={"required": "Select the kind of pot"},
    )
    directorate = forms.ModelChoiceField(
        label="Owning directorate",
        queryset=Directorate.objects.none(),
        help_text="For pooled and aligned budgets, the lead directorate",
        error_messages={"required": "Select the owning directorate"},
    )
    financial_year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=_year_choices,
        help_text="April to March",
        error_messages={"required": "Select the financial year"},
    )
    budget = PoundsField(
        label="Budget",
        required_message="Enter the budget",
        required=False,
        help_text="In pounds. Leave empty for pooled and aligned budgets: add contributions",
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=core_forms.Textarea
    )

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = Directorate.objects.filter(council=council)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("kind") in (PotKind.DIRECTORATE, PotKind.RING_FENCED)
            and data.get("budget") is None
            and "budget" not in self.errors
        ):
            self.add_error("budget", "Enter the budget")
        return data


class BudgetForm(forms.Form):
    budget = PoundsField(label="New budget", required_message="Enter the new budget")
    reason = forms.CharField(
        label="Reason for the change",
        widget=core_forms.Textarea,
        error_messages={"required": "Enter the reason for changing the budget"},
    )


class ContributionForm(forms.Form):
    directorate = forms.ModelChoiceField(
        label="Contributing directorate",
        queryset=Directorate.objects.none(),
        required=False,
        help_text="Leave empty for a partner outside the council",
    )
    partner_name = forms.CharField(
        label="Or partner's name", required=False, max_length=200, help_text="Like the NHS board"
    )
    amount = PoundsField(label="Amount", required_message="Enter the amount")

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = Directorate.objects.filter(council=council)


class CommitForm(forms.Form):
    amount = PoundsField(label="Amount to commit", required_message="Enter the amount to commit")
    description = forms.CharField(
        label="What the money is for",
        max_length=255,
        error_messages={"required": "Enter what the money is for"},
    )
    reason = forms.CharField(label="Note (optional)", required=False, widget=core_forms.Textarea)


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Reason for releasing the money",
        widget=core_forms.Textarea,
        error_messages={"required": "Enter the reason for releasing the money"},
    )


class MergeForm(forms.Form):
    pots = forms.ModelMultipleChoiceField(
        label="Pots to merge",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their uncommitted money moves to the new pot; commitments stay where they are",
        error_messages={"required": "Select at least two pots to merge"},
    )
    name = forms.CharField(
        label="Name of the merged pot", max_length=200, error_messages={"required": "Enter a name"}
    )
    directorate = forms.ModelChoiceField(
        label="Owning directorate",
        queryset=Directorate.objects.none(),
        error_messages={"required": "Select the owning directorate"},
    )
    reason = forms.CharField(
        label="Reason for merging",
        widget=core_forms.Textarea,
        error_messages={"required": "Enter the reason for merging the pots"},
    )

    def __init__(self, *args: Any, council: Any, pots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pots"].queryset = pots
        self.fields["pots"].label_from_instance = lambda p: (
            f"{p} – {format_pence(p.remaining_pence)} uncommitted"
        )
        self.fields["directorate"].queryset = Directorate.objects.filter(council=council)

"""Forms for the outcomes framework, directorates, pots and thresholds: GOV.UK wording."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from thrive.core import forms as core_forms
from thrive.core.money import format_pence
from thrive.strategy.models import Directorate, Outcome, OutcomeKind, PotKind, ThresholdSet

AMOUNT_HINT = "In pounds, for example 25000 or 25,000.50"


class PoundsField(core_forms.PoundsField):
    """An amount in pounds with the amount hint, cleaned to integer pence."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", AMOUNT_HINT)
        super().__init__(**kwargs)


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


class ThresholdSetForm(forms.ModelForm):
    valid_from = core_forms.DateField(
        label="In force from", required_message="Enter the date it comes into force"
    )
    goods_services_pence = PoundsField(
        label="Goods and services threshold",
        required_message="Enter the goods and services threshold",
    )
    works_pence = PoundsField(label="Works threshold", required_message="Enter the works threshold")
    light_touch_pence = PoundsField(
        label="Light-touch regime threshold", required_message="Enter the light-touch threshold"
    )
    below_threshold_notice_pence = PoundsField(
        label="Below-threshold notice value",
        required_message="Enter the below-threshold notice value",
        help_text="Advertised contracts at or above this need a below-threshold tender notice",
    )
    small_grant_limit_pence = PoundsField(
        label="Small grants limit", required_message="Enter the small grants limit"
    )

    class Meta:
        model = ThresholdSet
        fields = [
            "valid_from",
            "goods_services_pence",
            "works_pence",
            "light_touch_pence",
            "below_threshold_notice_pence",
            "small_grant_limit_pence",
            "source",
        ]
        labels = {"source": "Source (optional)"}

    def validate_unique(self) -> None:
        """The service checks the date."""


# --- the annual action plan and the NI 7 survey (§5.1) ---------------------------


def _year_choices(extra: int | None = None) -> list[tuple[str, str]]:
    from thrive.strategy.models import FinancialYear

    current = FinancialYear.start_year_for(timezone.localdate())
    years = set(range(current - 1, current + 3))
    if extra:
        years.add(extra)
    return [(str(y), str(FinancialYear(start_year=y))) for y in sorted(years)]


class YearField(forms.TypedChoiceField):
    """A financial year picked by its start year, cleaned to the FinancialYear."""

    def __init__(self, *, extra: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Financial year")
        kwargs.setdefault("error_messages", {"required": "Select the financial year"})
        super().__init__(choices=_year_choices(extra), coerce=int, **kwargs)


class PlanActionForm(forms.Form):
    year = YearField()
    title = forms.CharField(
        label="Action", max_length=255, error_messages={"required": "Enter the action"}
    )
    description = forms.CharField(
        label="What will be done (optional)", required=False, widget=core_forms.Textarea
    )
    section = forms.ChoiceField(
        label="Section of the strategy it serves",
        error_messages={"required": "Select the section of the strategy the action serves"},
    )
    owner = forms.ModelChoiceField(
        label="Owner (optional)",
        queryset=None,
        required=False,
        help_text="A member of staff; you can also or instead name the owning team",
    )
    owner_team = forms.CharField(label="Owning team (optional)", max_length=200, required=False)
    due_date = core_forms.DateField(label="Due date", required_message="Enter the due date")

    def __init__(self, *args: Any, council: Any, action: Any, **kwargs: Any) -> None:
        from thrive.strategy.sections import STRATEGY_SECTIONS
        from thrive.strategy.selectors import owner_choices

        if action.pk and "initial" not in kwargs:
            kwargs["initial"] = {
                "year": action.financial_year.start_year,
                "title": action.title,
                "description": action.description,
                "section": action.section,
                "owner": action.owner_id,
                "owner_team": action.owner_team,
                "due_date": action.due_date,
            }
        super().__init__(*args, **kwargs)
        extra = action.financial_year.start_year if action.financial_year_id else None
        self.fields["year"] = YearField(extra=extra)
        self.fields["section"].choices = [("", "Select a section"), *STRATEGY_SECTIONS]
        self.fields["owner"].queryset = owner_choices(council=council)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        # keep the fields in their declared order after replacing ``year``
        self.order_fields(list(self.base_fields))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    progress_note = forms.CharField(
        label="Progress note (optional)",
        required=False,
        widget=core_forms.Textarea,
        help_text="What has happened since the last update",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from thrive.strategy.models import ActionStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ActionStatus.choices


class SurveyRoundForm(forms.Form):
    year = YearField(help_text="One survey each year")
    opens_on = core_forms.DateField(
        label="Opens on", required_message="Enter the date the survey opens"
    )
    closes_on = core_forms.DateField(
        label="Closes on", required_message="Enter the date the survey closes"
    )
    introduction = forms.CharField(
        label="Introduction for organisations (optional)",
        required=False,
        widget=core_forms.Textarea,
    )

    def __init__(self, *args: Any, extra_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"] = YearField(extra=extra_year, help_text="One survey each year")
        self.order_fields(list(self.base_fields))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        return data


class SurveyAnswerForm(forms.Form):
    overall = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how local statutory bodies influence your success"},
    )
    funding = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    involvement = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    relationship = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Anything else you want to tell the council? (optional)",
        required=False,
        widget=core_forms.Textarea,
        max_length=2000,
        help_text="Shown to council staff without your organisation's name. Do not include "
        "names or details that would identify your organisation.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from thrive.strategy.models import Agreement, Influence
        from thrive.strategy.survey import OVERALL_QUESTION, SUB_QUESTIONS

        super().__init__(*args, **kwargs)
        self.fields["overall"].label = OVERALL_QUESTION
        self.fields["overall"].choices = Influence.choices
        for field, text in SUB_QUESTIONS:
            self.fields[field].label = text
            self.fields[field].help_text = "How far do you agree?"
            self.fields[field].choices = Agreement.choices
            self.fields[field].error_messages["required"] = (
                "Select how far you agree, or \u201cDon\u2019t know or not applicable\u201d"
            )

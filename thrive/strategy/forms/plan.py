"""Forms for the annual action plan and the yearly survey's rounds (§5.1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from thrive.core import forms as core_forms
from thrive.strategy.models import ActionStatus, FinancialYear
from thrive.strategy.sections import STRATEGY_SECTIONS
from thrive.strategy.selectors import owner_choices


def _year_choices(extra: int | None = None) -> list[tuple[str, str]]:
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

"""Forms for monitoring: the provider's return, the officer's decision, tiers, visits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from thrive.core.forms import DateField, PoundsField, Textarea
from thrive.monitoring.models import (
    TIER_FIELDS,
    LeadRule,
    MonitoringReturn,
    MonitoringTier,
    Rating,
    ReturnSize,
    VisitKind,
)
from thrive.organisations.models import SizeBand
from thrive.strategy.models import OutcomeKind


class ReturnForm(forms.Form):
    """Spend per award, progress per target, volunteers, case studies and a narrative."""

    volunteers_count = forms.IntegerField(
        label="How many volunteers were involved?", required=False, min_value=0
    )
    volunteer_hours = forms.DecimalField(
        label="How many hours did volunteers give?",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=1,
    )
    case_studies = forms.CharField(
        label="Case studies",
        help_text="One or two short stories of the difference the work made.",
        required=False,
        widget=Textarea(attrs={"rows": 5}),
    )
    narrative = forms.CharField(
        label="Summary of the period",
        help_text="What went well, what did not, and anything the council should know.",
        required=False,
        max_length=5000,
        widget=Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, item: MonitoringReturn, parts: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.parts = parts
        self.award_fields: list[tuple[Any, str, list[tuple[str, str]]]] = []
        fields = {}
        for part in parts:
            award = part.award
            spend_name = f"spend_{award.pk}"
            fields[spend_name] = PoundsField(
                label=f"Spend on {award.title} this period (£)",
                required=False,
                initial=part.spend_pence,
            )
            target_names = []
            for target, progress in zip(part.targets, part.progress, strict=True):
                value_name, comment_name = f"progress_{target.pk}", f"comment_{target.pk}"
                unit = f" ({target.unit})" if target.unit else ""
                fields[value_name] = forms.DecimalField(
                    label=f"{target.description}{unit}: achieved so far",
                    help_text=f"Target: {target.target_value.normalize():f}",
                    required=False,
                    min_value=0,
                    max_digits=12,
                    decimal_places=2,
                    initial=progress.achieved_value if progress else None,
                )
                fields[comment_name] = forms.CharField(
                    label=f"Comment on {target.description} (optional)",
                    required=False,
                    max_length=1000,
                    initial=progress.comment if progress else "",
                )
                target_names.append((value_name, comment_name))
            self.award_fields.append((award, spend_name, target_names))
        self.fields = {**fields, **self.fields}
        if item.plan.return_size == ReturnSize.LIGHT:
            for name in ("volunteers_count", "volunteer_hours", "case_studies"):
                self.fields[name].help_text = "Optional for this return."
        if not args or args[0] is None:
            self.initial.update(
                {
                    "volunteers_count": item.volunteers_count,
                    "volunteer_hours": item.volunteer_hours,
                    "case_studies": item.case_studies,
                    "narrative": item.narrative,
                }
            )

    def awards_layout(self) -> list[dict[str, Any]]:
        return [
            {
                "award": award,
                "spend": self[spend],
                "targets": [(self[value], self[comment]) for value, comment in targets],
            }
            for award, spend, targets in self.award_fields
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        spends = {}
        progress: dict[int, tuple[Decimal | None, str]] = {}
        for award, spend, targets in self.award_fields:
            spends[award.pk] = data.get(spend)
            for value, comment in targets:
                target_id = int(value.split("_", 1)[1])
                progress[target_id] = (data.get(value), data.get(comment, ""))
        return {
            "spends": spends,
            "progress": progress,
            "volunteers_count": data.get("volunteers_count"),
            "volunteer_hours": data.get("volunteer_hours"),
            "case_studies": data.get("case_studies", ""),
            "narrative": data.get("narrative", ""),
        }


class UploadForm(forms.Form):
    file = forms.FileField(label="Upload a file", required=False)


class DecisionForm(forms.Form):
    """The officer accepts with a rating, or queries with what needs to change."""

    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=[("accept", "Accept the return"), ("query", "Query the return")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or query the return"},
    )
    rating = forms.ChoiceField(
        label="Rating",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Needed when you accept the return.",
    )
    rating_reason = forms.CharField(
        label="Reason for the rating", required=False, widget=Textarea(attrs={"rows": 3})
    )
    query_reason = forms.CharField(
        label="What does the provider need to change?",
        required=False,
        help_text="Needed when you query the return.",
        widget=Textarea(attrs={"rows": 3}),
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="Rating",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose red, amber or green"},
    )
    rating_reason = forms.CharField(
        label="Reason for the rating",
        widget=Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the rating"},
    )


class TierForm(forms.ModelForm):
    min_value_pence = PoundsField(label="Value above (£)", required=False)
    max_value_pence = PoundsField(label="Value up to (£)", required=False)
    outcome_kinds = forms.MultipleChoiceField(
        label="Outcome types",
        help_text="Leave empty for any.",
        choices=OutcomeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    size_bands = forms.MultipleChoiceField(
        label="Organisation sizes",
        help_text="Leave empty for any.",
        choices=SizeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label="Why are you making this change?", required=False)

    class Meta:
        model = MonitoringTier
        fields = TIER_FIELDS
        labels = {
            "name": "Name",
            "order": "Order tried (lowest first)",
            "active": "In use",
            "min_duration_months": "Runs at least (months)",
            "max_duration_months": "Runs no more than (months)",
            "when_new_organisation": "Only for organisations new to the council's funding",
            "when_past_red": "Only for organisations that have had a red rating",
            "schedule": "Reporting schedule",
            "return_size": "Size of the return",
            "annual_review_meeting": "Hold an annual review meeting",
            "days_to_report": "Days after each period to report",
        }
        widgets = {
            "explanation": Textarea(attrs={"rows": 2}),
            "schedule": forms.RadioSelect,
            "return_size": forms.RadioSelect,
        }


class SettingsForm(forms.Form):
    lead_rule = forms.ChoiceField(
        label="How is the lead funder proposed?", choices=LeadRule.choices, widget=forms.RadioSelect
    )
    reminder_days = forms.IntegerField(
        label="Days before the due date to remind", min_value=1, max_value=90
    )
    escalation_days = forms.IntegerField(
        label="Days overdue before escalating", min_value=1, max_value=90
    )


class AppointForm(forms.Form):
    directorate = forms.TypedChoiceField(
        label="Lead directorate",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lead directorate"},
    )
    reason = forms.CharField(label="Reason", required=False, widget=Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, directorates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directorate"].choices = [(d.pk, d.name) for d in directorates]


class VisitForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind?", choices=VisitKind.choices, widget=forms.RadioSelect
    )
    planned_for = DateField(
        label="Planned for", required_message="Enter the date", invalid_message="Enter a real date"
    )
    happened_on = DateField(
        label="Happened on (if it has)",
        required=False,
        help_text="",
        invalid_message="Enter a real date",
    )
    notes = forms.CharField(label="Notes", required=False, widget=Textarea(attrs={"rows": 3}))


class ReturnFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Any"),
            ("overdue", "Overdue"),
            ("upcoming", "Due, not yet late"),
            ("submitted", "Submitted, awaiting review"),
            ("queried", "Queried"),
            ("accepted", "Accepted"),
        ],
    )
    directorate = forms.ChoiceField(label="Lead directorate", required=False)
    rating = forms.ChoiceField(
        label="Rating", required=False, choices=[("", "Any"), *Rating.choices]
    )

    def __init__(self, *args: Any, directorates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directorate"].choices = [("", "Any")] + [
            (str(d.pk), d.name) for d in directorates
        ]

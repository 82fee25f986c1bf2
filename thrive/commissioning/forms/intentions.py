"""Forms for intentions: each step of the task list, notices and joint commissioning."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.awards.models import Award
from thrive.commissioning import advisor
from thrive.commissioning.forms.common import OutcomeChoiceField, council_areas, council_outcomes
from thrive.commissioning.models import (
    Direction,
    Impact,
    Method,
    Regime,
    Route,
    ServiceType,
)
from thrive.core.forms import DateField, PoundsField, Textarea
from thrive.core.models import Area, BeneficiaryGroup
from thrive.strategy.models import Directorate, FundingPot, Outcome


class IntentionForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    summary = forms.CharField(
        label="Summary",
        widget=Textarea,
        help_text="What you intend to commission and why, in plain words for providers",
        error_messages={"required": "Enter a summary"},
    )
    direction = forms.ChoiceField(
        label="What this intention says to providers",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what this intention says to providers"},
    )
    outcomes = OutcomeChoiceField(
        label="Outcomes",
        queryset=Outcome.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one outcome"},
    )
    needs = forms.ModelMultipleChoiceField(
        label="Needs it meets (optional)",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    stopped_outcomes = OutcomeChoiceField(
        label="Outcomes no longer prioritised (optional)",
        queryset=Outcome.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Organisations funded for these outcomes will be given notice",
    )

    def __init__(
        self, *args: Any, council: Any, needs: Any, directorates: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = council_outcomes(council)
        self.fields["stopped_outcomes"].queryset = council_outcomes(council)
        self.fields["needs"].queryset = needs
        if directorates is not None and len(directorates) > 1:
            self.fields["directorate"] = forms.ModelChoiceField(
                label="Directorate",
                queryset=Directorate.objects.filter(pk__in=[d.pk for d in directorates]),
                error_messages={"required": "Select the directorate"},
            )


class SpecificationForm(forms.Form):
    aims = forms.CharField(label="Aims and objectives", widget=Textarea, required=False)
    outcomes_sought = forms.CharField(label="Outcomes sought", widget=Textarea, required=False)
    target_group = forms.CharField(label="Target group", widget=Textarea, required=False)
    groups = forms.ModelMultipleChoiceField(
        label="Beneficiary groups",
        queryset=BeneficiaryGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas",
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    activities = forms.CharField(label="Activities", widget=Textarea, required=False)
    quality_standards = forms.CharField(label="Quality standards", widget=Textarea, required=False)
    monitoring = forms.CharField(label="Monitoring", widget=Textarea, required=False)

    def __init__(
        self,
        *args: Any,
        council: Any,
        required: list[str],
        omit: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in omit:
            del self.fields[name]
        self.fields["areas"].queryset = council_areas(council)
        for name in required:
            self.fields[name].help_text = "Required for an intention of this value"


class FundingForm(forms.Form):
    budget = PoundsField(
        label="Budget for the whole term",
        required_message="Enter the budget",
        help_text="In pounds, VAT included",
    )
    pot = forms.ModelChoiceField(
        label="Funding pot (optional)", queryset=FundingPot.objects.none(), required=False
    )
    service_start = DateField(
        label="Service starts", required_message="Enter when the service starts"
    )
    service_end = DateField(label="Service ends", required_message="Enter when the service ends")
    procurement_start = DateField(
        label="Commissioning starts (optional)",
        required_message="",
        required=False,
        help_text="The thresholds in force on this date apply. For example, 1/1/2027",
    )
    short_term_justification = forms.CharField(
        label="Why a term shorter than three years (if it is)",
        required=False,
        widget=Textarea,
        help_text="Three years is the norm (§2.10); a shorter term needs a recorded reason",
    )

    def __init__(self, *args: Any, pots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pot"].queryset = pots


class MethodForm(forms.Form):
    service_type = forms.ChoiceField(
        label="What kind of service is it?",
        choices=ServiceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of service"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rule in advisor.RULES:
            self.fields[rule.code] = forms.BooleanField(
                label=f"{rule.question} ({rule.section})", required=False
            )


class ConfirmMethodForm(forms.Form):
    method = forms.ChoiceField(
        label="Method", choices=Method.choices, error_messages={"required": "Select the method"}
    )
    route = forms.ChoiceField(
        label="Route", choices=Route.choices, error_messages={"required": "Select the route"}
    )
    regime = forms.ChoiceField(
        label="Regime", choices=Regime.choices, error_messages={"required": "Select the regime"}
    )
    reason = forms.CharField(
        label="Reason (needed if you do not follow the recommendation)",
        required=False,
        widget=Textarea,
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, widget=Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=Textarea, error_messages={"required": "Enter the reason"}
    )


class ConfirmForm(forms.Form):
    """A page that only asks to press the button."""


class NoticeForm(forms.Form):
    awards = forms.ModelMultipleChoiceField(
        label="Awards affected",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the awards affected"},
    )
    message = forms.CharField(
        label="Message to the organisations",
        widget=Textarea,
        help_text="Say what is changing, when, and who to talk to",
        error_messages={"required": "Enter the message to the organisations"},
    )
    late_reason = forms.CharField(label="If a notice is late, why", required=False, widget=Textarea)

    def __init__(self, *args: Any, awards: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["awards"].queryset = Award.objects.filter(
            pk__in=[a.pk for a in awards]
        ).select_related("organisation")
        self.fields["awards"].label_from_instance = lambda a: (
            f"{a.organisation}: {a.title}, ends {a.end_date:%-d %B %Y}"
        )


class CombineForm(forms.Form):
    intentions = forms.ModelMultipleChoiceField(
        label="Intentions to combine",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least two intentions to combine"},
    )
    lead = forms.ModelChoiceField(
        label="Lead directorate",
        queryset=None,
        error_messages={"required": "Select the lead directorate"},
    )
    title = forms.CharField(
        label="Title of the joint intention",
        max_length=200,
        error_messages={"required": "Enter a title"},
    )

    def __init__(self, *args: Any, intentions: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intentions"].queryset = intentions
        self.fields["intentions"].label_from_instance = lambda i: (
            f"{i.reference}: {i.title} ({i.directorate})"
        )
        self.fields["lead"].queryset = Directorate.objects.filter(council=council)


class EqualityAssessmentForm(forms.Form):
    """The impact, evidence and mitigation for each protected characteristic, and a summary.

    The impacts are checked by the service (its messages name the characteristic); the form
    reads the text areas as the page showed them.
    """

    PARTS = ("impact", "evidence", "mitigation")

    summary = forms.CharField(label="Overall summary", widget=Textarea, required=False)

    def __init__(
        self, *args: Any, characteristics: list, assessment: Any = None, **kwargs: Any
    ) -> None:
        existing = {i.characteristic_id: i for i in assessment.impacts.all()} if assessment else {}
        initial = {"summary": getattr(assessment, "summary", "")}
        for group in characteristics:
            current = existing.get(group.pk)
            for part in self.PARTS:
                initial[f"{part}_{group.pk}"] = getattr(current, part, "")
        super().__init__(*args, initial=initial, **kwargs)
        self.characteristics = characteristics
        for group in characteristics:
            self.fields[f"impact_{group.pk}"] = forms.CharField(required=False)
            for part in self.PARTS[1:]:
                self.fields[f"{part}_{group.pk}"] = forms.CharField(widget=Textarea, required=False)

    def impacts(self) -> dict[int, dict[str, str]]:
        """The answers by characteristic, as the service takes them."""
        return {
            group.pk: {part: self.cleaned_data[f"{part}_{group.pk}"] for part in self.PARTS}
            for group in self.characteristics
        }

    def rows(self) -> list[dict[str, Any]]:
        """Rows for the page: one per protected characteristic, with what it shows."""
        return [
            {"group": group, "choices": Impact.choices}
            | {part: self[f"{part}_{group.pk}"].value() or "" for part in self.PARTS}
            for group in self.characteristics
        ]

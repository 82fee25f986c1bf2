"""Forms for opportunities: the public filters, the commissioner's pages, questions, alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from thrive.core.dates import LONDON
from thrive.core.forms import (
    DateField,
    PoundsField,
    TimeField,
    format_date_input,
    format_time_input,
)
from thrive.core.models import Area
from thrive.opportunities.intentions import decided_intentions
from thrive.opportunities.models import CriterionKind, Lot, OpportunityKind, PriceFormula
from thrive.strategy.models import Directorate, Outcome

MOMENTS = {
    "opens_at": "Opening",
    "clarification_deadline": "Deadline for questions",
    "closes_at": "Closing",
}


def _date_field(label: str) -> DateField:
    return DateField(
        label=f"{label} date",
        required=False,
        invalid_message=f"{label} date must be a real date, like 27/3/2027",
    )


def _time_field(label: str) -> TimeField:
    return TimeField(
        label=f"{label} time",
        required=False,
        help_text="24-hour clock, UK time, for example 17:00",
        error_messages={"invalid": f"{label} time must be a real time, like 17:00"},
    )


def moment_initial(name: str, value: datetime | None) -> dict[str, str]:
    """Initial date and time fields for an instant, shown in UK time as the fields take it."""
    if value is None:
        return {}
    local = value.astimezone(LONDON)
    return {
        f"{name}_date": format_date_input(local.date()),
        f"{name}_time": format_time_input(local.time()),
    }


def keep_shown_moments(data: dict[str, Any], current: Any, names: Any) -> None:
    """An instant posted back exactly as the page showed it is the stored one, unchanged.

    The page shows whole seconds; a stored instant with a fraction of a second (from an
    import or the API) must not count as changed when the form is saved as it was shown.
    """
    for name in names:
        stored = getattr(current, name)
        if stored is not None and data.get(name) == stored.replace(microsecond=0):
            data[name] = stored


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *OpportunityKind.choices]
    )
    council = forms.TypedChoiceField(label="Council", required=False, coerce=int, empty_value=None)
    outcome = forms.TypedChoiceField(label="Outcome", required=False, coerce=int, empty_value=None)
    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    min_value = PoundsField(label="Value from (£)", required=False)
    max_value = PoundsField(label="Value up to (£)", required=False)
    closes_before = DateField(
        label="Closing on or before",
        required=False,
        invalid_message="Closing date must be a real date, like 27/3/2027",
    )
    include_closed = forms.BooleanField(label="Include closed opportunities", required=False)

    def __init__(self, *args: Any, councils: Any, outcomes: Any, areas: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [("", "Any council")] + [(c.pk, c.name) for c in councils]
        self.fields["outcome"].choices = [("", "Any outcome")] + [
            (
                o.pk,
                f"{o.title} ({o.council.name})"
                if len({x.council_id for x in outcomes}) > 1
                else o.title,
            )
            for o in outcomes
        ]
        self.fields["area"].choices = [("", "Any area")] + [(a.pk, a.name) for a in areas]


class _OpportunityTermsForm(forms.Form):
    """The fields a draft and a published opportunity share: wording, value, timetable."""

    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    summary = forms.CharField(
        widget=forms.Textarea,
        help_text="One or two sentences for lists, feeds and alerts.",
        error_messages={"required": "Enter a summary"},
    )
    description = forms.CharField(widget=forms.Textarea, required=False)
    process = forms.CharField(
        label="How the process works",
        widget=forms.Textarea,
        required=False,
        help_text="The steps, who decides and the timescales, in plain words (§4.1).",
    )
    value_pence = PoundsField(label="Total value (£)", required=False)
    max_award_pence = PoundsField(label="Most one applicant may ask for (£)", required=False)
    clarification_deadline_date = _date_field("Deadline for questions")
    clarification_deadline_time = _time_field("Deadline for questions")
    closes_at_date = _date_field("Closing")
    closes_at_time = _time_field("Closing")
    decision_expected = DateField(
        label="Decision expected by",
        required=False,
        invalid_message="Decision date must be a real date, like 27/3/2027",
    )
    outcomes = forms.ModelMultipleChoiceField(
        queryset=Outcome.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    moments: dict[str, str] = MOMENTS

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = Outcome.objects.filter(council=council, is_active=True)
        self.fields["areas"].queryset = Area.objects.filter(council=council)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("summary", "description", "process"):
            # Browsers send a text area's lines with CRLF: the same text is not a change.
            if isinstance(data.get(name), str):
                data[name] = data[name].replace("\r\n", "\n")
        for name, label in self.moments.items():
            day, moment = data.get(f"{name}_date"), data.get(f"{name}_time")
            if day and moment is None and f"{name}_time" not in self.errors:
                self.add_error(f"{name}_time", f"Enter the {label.lower()} time")
            if moment is not None and not day and f"{name}_date" not in self.errors:
                self.add_error(f"{name}_date", f"Enter the {label.lower()} date")
            data[name] = datetime.combine(day, moment, LONDON) if day and moment else None
        if data.get("value_pence") is None:
            data["value_pence"] = 0
        return data


class OpportunityForm(_OpportunityTermsForm):
    field_order = [
        "intention",
        "title",
        "summary",
        "description",
        "process",
        "kind",
        "directorate",
        "form_template",
        "value_pence",
        "max_award_pence",
        "opens_at_date",
        "opens_at_time",
        "clarification_deadline_date",
        "clarification_deadline_time",
        "closes_at_date",
        "closes_at_time",
        "decision_expected",
        "outcomes",
        "areas",
    ]
    intention = forms.ModelChoiceField(
        label="Commissioning intention (optional)",
        queryset=None,
        required=False,
        help_text="The decided intention this opportunity carries out. Leave empty for a "
        "small grants round.",
    )
    kind = forms.ChoiceField(
        choices=OpportunityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of opportunity"},
    )
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.none(),
        error_messages={"required": "Select the directorate"},
    )
    form_template = forms.ModelChoiceField(label="Application form", queryset=None, required=False)
    opens_at_date = _date_field("Opening")
    opens_at_time = _time_field("Opening")

    def __init__(self, *args: Any, council: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, council=council, **kwargs)
        self.fields["intention"].queryset = decided_intentions(council=council)
        self.fields["directorate"].queryset = Directorate.objects.filter(council=council)
        self.fields["form_template"].queryset = templates


class AmendmentForm(_OpportunityTermsForm):
    """A published opportunity's page of changes: wording freely, terms by amendment."""

    moments = {
        "clarification_deadline": "Deadline for questions",
        "closes_at": "Closing",
    }
    reason = forms.CharField(
        label="Reason for the amendment",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        help_text="Needed when a term changes (process, value, deadlines, decision date). "
        "It is published with the amendment and emailed to every organisation with a draft "
        "or submitted application. Not needed to correct the title, summary or description.",
    )


class LotForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the lot's title"})
    description = forms.CharField(widget=forms.Textarea, required=False)
    value_pence = PoundsField(
        label="Value (£)", error_messages={"required": "Enter the lot's value"}
    )


class CriterionForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the criterion"})
    description = forms.CharField(widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(
        label="What it judges",
        choices=CriterionKind.choices,
        initial=CriterionKind.QUALITY,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the criterion judges"},
    )
    lot = forms.ModelChoiceField(
        label="Lot (optional)",
        queryset=None,
        required=False,
        empty_label="Every lot",
        help_text="Leave as every lot when the criterion applies to all of them.",
    )
    weight = forms.IntegerField(
        label="Weight (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the weight",
            "invalid": "Weight must be a whole number, like 30",
            "min_value": "Weight must be 0 or more",
            "max_value": "Weight must be 100 or less",
        },
    )
    is_gate = forms.BooleanField(
        label="Pass or fail gate (no weight: an application that fails is not ranked)",
        required=False,
    )
    price_formula = forms.ChoiceField(
        label="How price is scored (price criteria only)",
        choices=PriceFormula.choices,
        initial=PriceFormula.LOWEST_PRICE,
        widget=forms.RadioSelect,
        required=False,
    )
    scale = forms.CharField(
        label="Scoring scale (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="One score a line, like “3: Satisfactory, meets the need with minor gaps”. "
        "Leave empty for the standard 0 to 5 scale.",
    )

    def __init__(self, *args: Any, lots: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots if lots is not None else Lot.objects.none()

    def clean_scale(self) -> list[dict]:
        text = self.cleaned_data.get("scale") or ""
        points: list[dict] = []
        for line in (raw.strip() for raw in text.splitlines()):
            if not line:
                continue
            score, _, descriptor = line.partition(":")
            if not score.strip().isdigit() or not descriptor.strip():
                raise forms.ValidationError(
                    "Write each score as a whole number, a colon and its descriptor, "
                    "like “3: Satisfactory”"
                )
            points.append({"score": int(score), "descriptor": descriptor.strip()})
        if points and len({p["score"] for p in points}) != len(points):
            raise forms.ValidationError("Each score on the scale must appear once")
        if len(points) == 1:
            raise forms.ValidationError("A scale needs at least two scores")
        return points

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_gate"):
            data["weight"] = 0
        data["price_formula"] = data.get("price_formula") or PriceFormula.LOWEST_PRICE
        return data


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in: the button is the answer."""


class DocumentForm(forms.Form):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter the document's title"}
    )
    file = forms.FileField(error_messages={"required": "Select a file"})


class InvitationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, widget=forms.RadioSelect)
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, organisations: Any, shown: Any = (), **kwargs: Any) -> None:
        """Any of ``organisations`` is accepted; only the ``shown`` choices are listed."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset, field.widget.choices = organisations, shown
        field.error_messages["required"] = "Select the organisation to invite"
        field.error_messages["invalid_choice"] = "Select an organisation from the search results"


class QuestionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, error_messages={"required": "Select your organisation"}
    )
    question = forms.CharField(
        label="Your question",
        widget=forms.Textarea,
        max_length=2000,
        help_text="Your question and its answer are published to everyone without your name.",
        error_messages={"required": "Enter your question"},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk


class AnswerForm(forms.Form):
    published_question = forms.CharField(
        label="Question as published",
        widget=forms.Textarea,
        help_text="Remove anything that would identify who asked.",
        error_messages={"required": "Enter the question as it will be published"},
    )
    answer = forms.CharField(widget=forms.Textarea, error_messages={"required": "Enter the answer"})


class AlertForm(forms.Form):
    is_active = forms.BooleanField(label="Send us email alerts", required=False)
    kinds = forms.MultipleChoiceField(
        label="Kinds of opportunity",
        choices=OpportunityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose none to hear about every kind.",
    )
    outcomes = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose none to hear about every outcome.",
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose none to hear about every area.",
    )

    def __init__(self, *args: Any, outcomes: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = outcomes
        self.fields["areas"].queryset = areas


class CancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Enter why the opportunity is cancelled"}
    )

"""Pieces shared by the register's forms."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.db.models import Q

from thrive.accounts.models import Council
from thrive.core.models import Area
from thrive.strategy.models import Outcome

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


class _CouncilLabelled:
    """Names each choice's council when the installation has several (one query per form)."""

    @cached_property
    def several_councils(self) -> bool:
        return Council.objects.count() > 1

    def label_from_instance(self, obj: Any) -> str:
        label = obj.label if isinstance(obj, Outcome) else obj.name
        if self.several_councils and obj.council_id:
            return f"{label} ({obj.council})"
        return label


class AreaChoiceField(_CouncilLabelled, forms.ModelMultipleChoiceField):
    pass


class OutcomeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Outcome) -> str:
        return obj.label


class AreaFilterField(_CouncilLabelled, forms.ModelChoiceField):
    pass


class OutcomeFilterField(_CouncilLabelled, forms.ModelChoiceField):
    pass


def area_choices(council: Council | None = None) -> Any:
    """Areas to choose from: the council's own (and shared ones), or every council's."""
    areas = Area.objects.select_related("council")
    if council is not None:
        areas = areas.filter(Q(council=council) | Q(council__isnull=True))
    return areas.order_by("council__name", "-county_wide", "name")


def outcome_choices(council: Council | None = None) -> Any:
    """Active outcomes to choose from: the council's own, or every council's."""
    outcomes = Outcome.objects.active().select_related("council")
    if council is not None:
        outcomes = outcomes.filter(council=council)
    return outcomes.order_by("council__name", "order")

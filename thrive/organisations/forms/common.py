"""Pieces shared by the register's forms."""

from __future__ import annotations

from typing import Any

from django import forms

from thrive.accounts.models import Council
from thrive.core.models import Area
from thrive.strategy.models import Outcome

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        if Council.objects.count() > 1 and obj.council_id:
            return f"{obj.name} ({obj.council})"
        return obj.name


class OutcomeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Outcome) -> str:
        return f"{obj.code}: {obj.title}"


def area_choices() -> Any:
    return Area.objects.select_related("council").order_by("council__name", "-county_wide", "name")

"""Fields and choices shared by the commissioning forms."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from thrive.accounts.models import Council
from thrive.core.models import Area
from thrive.strategy.models import Outcome


def council_outcomes(council: Council) -> QuerySet[Outcome]:
    """The council's active outcomes, in framework order."""
    return Outcome.objects.for_council(council.pk).active().order_by("order", "code")


def council_areas(council: Council) -> QuerySet[Area]:
    """The areas the council serves."""
    return Area.objects.filter(council=council)


class OutcomeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Outcome) -> str:
        return f"{obj.code}: {obj.title}"

"""The form for a dated set of procurement thresholds."""

from __future__ import annotations

from django import forms

from thrive.core import forms as core_forms
from thrive.strategy.forms.pots import PoundsField
from thrive.strategy.models import ThresholdSet


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

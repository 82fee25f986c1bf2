"""The error summary links each form-wide error to an input the reader can see."""

from __future__ import annotations

from django import forms

from thrive.core.templatetags.thrive import first_field_id


class _Submit(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput())
    declaration = forms.BooleanField(label="I confirm")


def test_a_form_wide_error_links_to_the_first_visible_field_not_a_hidden_one() -> None:
    assert first_field_id(_Submit()) == "id_declaration"


def test_a_form_of_hidden_fields_only_links_nowhere() -> None:
    class Hidden(forms.Form):
        key = forms.CharField(widget=forms.HiddenInput())

    assert first_field_id(Hidden()) == ""

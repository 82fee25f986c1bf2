"""Template helpers available on every page: money, GOV.UK form fields, policy checks."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from thrive.core import policy
from thrive.core.forms import input_value
from thrive.core.money import format_pence

register = template.Library()


@register.filter
def pounds(amount_pence: int | None) -> str:
    """Show pence as pounds: {{ award.amount_pence|pounds }} -> £1,234.56."""
    return format_pence(amount_pence)


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    """{% can "audit.view" as allowed %}: ask the policy from a template."""
    request = context.get("request")
    return policy.can(getattr(request, "user", None), action, obj)


_WIDGET_TEMPLATES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.ClearableFileInput, "file"),
    (forms.FileInput, "file"),
    (forms.PasswordInput, "password"),
    (forms.widgets.Input, "input"),
]


@register.simple_tag
def field(bound: forms.BoundField, **options: Any) -> SafeString:
    """Render a form field as its GOV.UK Frontend component, with label, hint and error."""
    widget = bound.field.widget
    name = next((n for cls, n in _WIDGET_TEMPLATES if isinstance(widget, cls)), "input")
    # The field template is rendered with autoescaping on, so its output is safe HTML.
    return SafeString(  # nosec B703
        render_to_string(
            f"govuk/fields/{name}.html",
            {
                "field": bound,
                "label_size": options.get("label_size", ""),
                "is_page_heading": options.get("is_page_heading", False),
                "width": options.get("width", ""),
                "autocomplete": options.get("autocomplete", widget.attrs.get("autocomplete", "")),
                "input_type": getattr(widget, "input_type", "text"),
                "value": input_value(bound.value()),
                "multiple": bool(getattr(widget, "allow_multiple_selected", False)),
            },
        )
    )


@register.filter
def field_id(bound: forms.BoundField) -> str:
    """The id the error summary links to: the first input of the field."""
    widget = bound.field.widget
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return f"{bound.auto_id}_0"
    return bound.id_for_label or bound.auto_id


@register.filter
def first_field_id(form: forms.Form) -> str:
    """Where a form-wide error links to: the form's first visible field."""
    first = next((bound for bound in form if not bound.is_hidden), None)
    return field_id(first) if first is not None else ""

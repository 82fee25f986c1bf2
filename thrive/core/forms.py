"""Form helpers shared by every app."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from thrive.core.money import format_pence, parse_pounds


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError back on the form, field by field where it can."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if item.messages else str(item))
        return
    for message in error.messages:
        form.add_error(None, message)


# Dates are typed as GOV.UK asks for them (day, month, year); people also type the month's
# name. Every date field shows its value in the first format, so what it renders it accepts.
DATE_INPUT_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %m %Y",
    "%d %b %Y",
    "%d %B %Y",
)
TIME_INPUT_FORMATS = ("%H:%M", "%H:%M:%S", "%H.%M")
DATE_EXAMPLE = "27/3/2027"


def format_date_input(value: date) -> str:
    """A date as the date fields show it and accept it back: 15/2/2027."""
    return f"{value.day}/{value.month}/{value.year}"


def format_time_input(value: time) -> str:
    """A time of day as the time fields show it: 17:00 (seconds only when there are some)."""
    return f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"


def input_value(value: Any) -> Any:
    """A field's value as its input shows it: dates, times and instants in the typed formats."""
    if isinstance(value, datetime):
        return f"{format_date_input(value)} {format_time_input(value.time())}"
    if isinstance(value, date):
        return format_date_input(value)
    if isinstance(value, time):
        return format_time_input(value)
    return value


def _typed(text: str) -> str:
    """What was typed, with commas and repeated spaces dropped: '15 Feb, 2027' -> '15 Feb 2027'."""
    words = text.replace(",", " ").split()
    return " ".join("Sep" if word.lower() == "sept" else word for word in words)


class DateField(forms.DateField):
    """A date typed as 15/2/2027, 2027-02-15, 15 Feb 2027 or 15 February 2027."""

    input_formats = DATE_INPUT_FORMATS

    def __init__(
        self,
        *,
        label: str,
        required_message: str | None = None,
        invalid_message: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("help_text", f"For example, {DATE_EXAMPLE}")
        messages = {
            "invalid": invalid_message or f"{label} must be a real date, like {DATE_EXAMPLE}"
        }
        messages["required"] = required_message or f"Enter the {label.lower()}"
        messages.update(kwargs.pop("error_messages", {}))
        super().__init__(label=label, error_messages=messages, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_date_input(value) if isinstance(value, date) else value

    def strptime(self, value: str, format: str) -> date:
        return datetime.strptime(_typed(value), format).date()


class TimeField(forms.TimeField):
    """A time of day on the 24-hour clock: 17:00, 17.00 or 17:00:00."""

    input_formats = TIME_INPUT_FORMATS

    def prepare_value(self, value: Any) -> Any:
        return format_time_input(value) if isinstance(value, time) else value


class PoundsField(forms.CharField):
    """Money typed in pounds (1500, 1,500.50 or £1,500.50), cleaned to integer pence."""

    def __init__(self, *, required_message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        if required_message:
            kwargs["error_messages"] = {
                "required": required_message,
                **kwargs.get("error_messages", {}),
            }
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return format_pence(value).replace("£", "")
        return value

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_pounds(text)
        except ValueError as exc:
            raise forms.ValidationError(
                f"{self.label} must be an amount in pounds, like 1500 or 1,500.50"
            ) from exc


class Textarea(forms.Textarea):
    """A text area whose lines come back as the page showed them.

    Browsers send a text area's line breaks as CRLF; kept as sent, text saved unchanged
    would differ from what was stored (and count as a change).
    """

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value

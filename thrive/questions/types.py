"""Questions as data: the JSON a form version holds, turned into GOV.UK form fields.

A version's ``sections`` is a list of ``{"key", "title", "questions": [...]}``; a question is
``{"key", "type", "label", "hint", "required", ...}`` with one of the types below. Answers
are kept as JSON: text as text, money as integer pence, dates as ISO text, yes/no as
``"yes"``/``"no"``, budget tables as ``[{"item", "amount_pence"}]``, files as an attachment id.

A draft saves with required answers still empty; ``validate_section(..., final=True)``
adds the "required" errors used on submit (FIELD-NOTES: never lose work).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from thrive.core.money import format_pence, parse_pounds

TYPES = ("text", "long_text", "number", "money", "date", "yes_no", "choice", "budget", "file")
BUDGET_ROWS = 8
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def check_definition(sections: Any) -> list[str]:
    """Problems with a form definition (empty when it can be used)."""
    problems: list[str] = []
    if not isinstance(sections, list) or not sections:
        return ["A form needs at least one section"]
    keys: set[str] = set()
    for section in sections:
        if not isinstance(section, dict) or not section.get("key") or not section.get("title"):
            problems.append("Every section needs a key and a title")
            continue
        for question in section.get("questions", []):
            key = question.get("key")
            if not key or not re.fullmatch(r"[a-z][a-z0-9_]{0,59}", key):
                problems.append(f"Question key {key!r} must be lower-case letters and _")
            elif key in keys:
                problems.append(f"Question key {key!r} is used twice")
            keys.add(key or "")
            if question.get("type") not in TYPES:
                problems.append(f"Question {key!r} has an unknown type {question.get('type')!r}")
            if question.get("type") == "choice" and not question.get("choices"):
                problems.append(f"Question {key!r} needs choices")
    return problems


def find_section(sections: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    return next((s for s in sections if s.get("key") == key), None)


def all_questions(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [q for s in sections for q in s.get("questions", [])]


def amount_question(sections: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The section key and question key of the amount asked for, if the form asks it."""
    for section in sections:
        for question in section.get("questions", []):
            if question.get("role") == "amount_requested":
                return section["key"], question["key"]
    return None


def _label(question: dict[str, Any]) -> str:
    return question.get("label") or question["key"]


def _required_message(question: dict[str, Any]) -> str:
    label = _label(question)
    if question["type"] in ("yes_no", "choice"):
        return f"Select an answer for: {label}"
    if question["type"] == "file":
        return f"Upload a file for: {label}"
    if question["type"] == "budget":
        return f"Enter at least one budget line for: {label}"
    return f"Enter an answer for: {label}"


# --- from a posted form to answers -----------------------------------------------------


@dataclass
class SectionResult:
    answers: dict[str, Any]
    errors: dict[str, list[str]]


def _clean_number(question: dict[str, Any], raw: str) -> int:
    try:
        value = int(raw.replace(",", "").strip())
    except ValueError as exc:
        raise ValidationError(f"{_label(question)} must be a whole number, like 12") from exc
    if question.get("min") is not None and value < int(question["min"]):
        raise ValidationError(f"{_label(question)} must be {question['min']} or more")
    if question.get("max") is not None and value > int(question["max"]):
        raise ValidationError(f"{_label(question)} must be {question['max']} or less")
    return value


def _clean_money(question: dict[str, Any], raw: str) -> int:
    try:
        value = parse_pounds(raw)
    except ValueError as exc:
        raise ValidationError(
            f"{_label(question)} must be an amount in pounds, like 1500 or 1,500.50"
        ) from exc
    if question.get("max_pence") is not None and value > int(question["max_pence"]):
        limit = format_pence(int(question["max_pence"]), whole_pounds=True)
        raise ValidationError(f"{_label(question)} must be {limit} or less")
    if value <= 0 and question.get("positive", True):
        raise ValidationError(f"{_label(question)} must be more than £0")
    return value


def _clean_date(question: dict[str, Any], raw: str) -> str:
    try:
        return date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        pass
    match = re.fullmatch(r"\s*(\d{1,2})[/ .-](\d{1,2})[/ .-](\d{4})\s*", raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    raise ValidationError(f"{_label(question)} must be a real date, like 27/3/2027")


def _clean_text(question: dict[str, Any], raw: str) -> str:
    text = raw.strip()
    limit = question.get("word_limit")
    if limit and count_words(text) > int(limit):
        raise ValidationError(
            f"{_label(question)} must be {limit} words or fewer (you have {count_words(text)})"
        )
    max_length = int(question.get("max_length", 255 if question["type"] == "text" else 20_000))
    if len(text) > max_length:
        raise ValidationError(f"{_label(question)} must be {max_length} characters or fewer")
    return text


def _clean_choice(question: dict[str, Any], raw: str) -> str:
    allowed = {str(c[0]) for c in question.get("choices", [])}
    if question["type"] == "yes_no":
        allowed = {"yes", "no"}
    if raw not in allowed:
        raise ValidationError(_required_message(question))
    return raw


def _clean_budget(question: dict[str, Any], data: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for index in range(BUDGET_ROWS):
        item = (data.get(f"{question['key']}__{index}__item") or "").strip()
        amount = (data.get(f"{question['key']}__{index}__amount") or "").strip()
        if not item and not amount:
            continue
        if not item:
            raise ValidationError(f"Enter what budget line {index + 1} is for")
        try:
            pence = parse_pounds(amount)
        except ValueError as exc:
            raise ValidationError(
                f"Budget line {index + 1} must be an amount in pounds, like 250 or 250.50"
            ) from exc
        rows.append({"item": item[:200], "amount_pence": pence})
    return rows


def clean_answer(question: dict[str, Any], data: Any) -> Any:
    """One posted answer, cleaned; None when left empty; ValidationError when malformed."""
    kind = question["type"]
    if kind == "budget":
        return _clean_budget(question, data) or None
    raw = data.get(question["key"])
    if raw is None or str(raw).strip() == "":
        return None
    raw = str(raw)
    cleaners = {
        "number": _clean_number,
        "money": _clean_money,
        "date": _clean_date,
        "yes_no": _clean_choice,
        "choice": _clean_choice,
    }
    return cleaners.get(kind, _clean_text)(question, raw)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def read_section(section: dict[str, Any], data: Any, *, stored: dict[str, Any]) -> SectionResult:
    """Clean a posted section: good answers to keep, and errors for malformed ones.

    File questions are not posted here (uploads are separate); their stored value stays.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in section.get("questions", []):
        if question["type"] == "file":
            continue
        try:
            answers[question["key"]] = clean_answer(question, data)
        except ValidationError as exc:
            errors[question["key"]] = list(exc.messages)
    return SectionResult(answers, errors)


def section_errors(
    section: dict[str, Any], answers: dict[str, Any], *, final: bool
) -> dict[str, list[str]]:
    """Errors in stored answers: limits always; required answers only when ``final``."""
    errors: dict[str, list[str]] = {}
    for question in section.get("questions", []):
        value = answers.get(question["key"])
        if is_empty(value):
            if final and question.get("required"):
                errors[question["key"]] = [_required_message(question)]
            continue
        limit = question.get("word_limit") if question["type"] == "long_text" else None
        if limit and count_words(value) > int(limit):
            errors[question["key"]] = [f"{_label(question)} must be {limit} words or fewer"]
    return errors


def section_status(section: dict[str, Any], answers: dict[str, Any]) -> str:
    """'completed', 'in_progress' or 'not_started' for the task list."""
    questions = section.get("questions", [])
    answered = [q for q in questions if not is_empty(answers.get(q["key"]))]
    if not answered and questions:
        return "not_started"
    return "in_progress" if section_errors(section, answers, final=True) else "completed"


# --- answers shown back ----------------------------------------------------------------


def budget_total(rows: list[dict[str, Any]] | None) -> int:
    return sum(int(r.get("amount_pence", 0)) for r in rows or [])


def display_answer(question: dict[str, Any], value: Any, attachments: dict[int, Any]) -> str:
    """An answer as text for check-your-answers, receipts and staff pages."""
    if is_empty(value):
        return "Not answered"
    kind = question["type"]
    if kind == "money":
        return format_pence(int(value))
    if kind == "yes_no":
        return "Yes" if value == "yes" else "No"
    if kind == "choice":
        return next((str(c[1]) for c in question.get("choices", []) if str(c[0]) == value), value)
    if kind == "date":
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    if kind == "budget":
        lines = [f"{r['item']}: {format_pence(r['amount_pence'])}" for r in value]
        return "; ".join(lines) + f" (total {format_pence(budget_total(value))})"
    if kind == "file":
        attachment = attachments.get(int(value))
        return attachment.original_name if attachment else "File missing"
    return str(value)


# --- Django forms for the pages ---------------------------------------------------------


def _initial(question: dict[str, Any], value: Any) -> Any:
    if is_empty(value):
        return None
    if question["type"] == "money":
        return format_pence(int(value)).lstrip("£")
    return value


def _field_for(question: dict[str, Any], value: Any) -> forms.Field:
    kind = question["type"]
    common = {
        "label": _label(question),
        "help_text": question.get("hint", ""),
        "required": False,
        "initial": _initial(question, value),
    }
    if kind == "long_text":
        limit = question.get("word_limit")
        if limit:
            hint = common["help_text"]
            common["help_text"] = f"{hint} Use {limit} words or fewer.".strip()
        return forms.CharField(widget=forms.Textarea, **common)
    if kind == "yes_no":
        return forms.ChoiceField(
            choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, **common
        )
    if kind == "choice":
        choices = [(str(c[0]), str(c[1])) for c in question.get("choices", [])]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "money":
        common["help_text"] = (common["help_text"] + " In pounds, like 1500 or 1,500.50").strip()
    if kind == "date":
        common["help_text"] = (common["help_text"] + " For example, 27/3/2027").strip()
    return forms.CharField(**common)


class SectionForm(forms.Form):
    """A section of a form version as a Django form, for ``{% field %}`` rendering."""

    def __init__(
        self,
        section: dict[str, Any],
        answers: dict[str, Any],
        data: Any = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(data=data)
        self.section = section
        self.budget_questions: list[dict[str, Any]] = []
        self.file_questions: list[dict[str, Any]] = []
        for question in section.get("questions", []):
            key = question["key"]
            value = answers.get(key)
            if question["type"] == "file":
                self.file_questions.append(question)
                continue
            if question["type"] == "budget":
                self._add_budget(question, value)
                continue
            self.fields[key] = _field_for(question, value)
        self._preset_errors = errors or {}

    def _add_budget(self, question: dict[str, Any], rows: Any) -> None:
        rows = rows or []
        self.budget_questions.append(question)
        for index in range(BUDGET_ROWS):
            row = rows[index] if index < len(rows) else {}
            self.fields[f"{question['key']}__{index}__item"] = forms.CharField(
                label=f"Budget line {index + 1}: what it is for",
                required=False,
                initial=row.get("item"),
            )
            amount = row.get("amount_pence")
            self.fields[f"{question['key']}__{index}__amount"] = forms.CharField(
                label=f"Budget line {index + 1}: amount in pounds",
                required=False,
                initial=format_pence(amount).lstrip("£") if amount is not None else None,
            )

    def full_clean(self) -> None:
        super().full_clean()
        for key, messages in self._preset_errors.items():
            target = key if key in self.fields else self._budget_target(key)
            for message in messages:
                self.add_error(target, message)

    def _budget_target(self, key: str) -> str | None:
        first = f"{key}__0__item"
        return first if first in self.fields else None

    def plain_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if "__" not in name]

    def budget_groups(self) -> list[dict[str, Any]]:
        return [
            {
                "question": q,
                "fields": [self[n] for n in self.fields if n.startswith(q["key"] + "__")],
            }
            for q in self.budget_questions
        ]


def answers_as_data(section: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Stored answers as posted data, so a page can be shown bound (with its errors)."""
    data: dict[str, Any] = {}
    for question in section.get("questions", []):
        key, value = question["key"], answers.get(question["key"])
        if question["type"] == "file" or is_empty(value):
            continue
        if question["type"] == "budget":
            for index, row in enumerate(value[:BUDGET_ROWS]):
                data[f"{key}__{index}__item"] = row["item"]
                data[f"{key}__{index}__amount"] = format_pence(row["amount_pence"]).lstrip("£")
            continue
        data[key] = _initial(question, value)
    return data

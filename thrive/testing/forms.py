"""Reading pages' forms as a browser submits them, and comparing the database before and after.

Shared by the tests that post every edit form back unchanged
(``thrive/core/tests/test_edit_forms_round_trip.py``) and post every route as every kind of
user (``thrive/core/tests/test_routes.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import reverse

from thrive.testing.routes import World, all_expectations

IGNORED_COLUMNS = {"updated_at", "last_login"}
IGNORED_MODELS = {"audit.AuditEvent", "audit.AuditChainHead"}


@dataclass
class Form:
    method: str
    action: str
    data: list[tuple[str, str]] = field(default_factory=list)
    prefilled: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def submission(self, pressed: str | None = None) -> dict[str, list[str]]:
        """What a browser posts when the named button (else the first) is pressed."""
        posted: dict[str, list[str]] = {}
        button = next((b for b in self.buttons if pressed in (None, b[0])), None)
        for name, value in [*self.data, *([button] if button and button[0] else [])]:
            posted.setdefault(name, []).append(value)
        return posted


class FormReader(HTMLParser):
    """Read a page's forms as a browser would submit them, with their submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict[str, str] | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(attributes.get("method", "get").lower(), attributes.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(attributes)
        elif tag == "button":
            self._button(attributes)
        elif tag == "select":
            self._select = (attributes.get("name", ""), "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._option = attributes
            self._option_text = ""
        elif tag == "textarea":
            self._textarea, self._text = attributes.get("name", ""), ""

    def _input(self, attributes: dict[str, str]) -> None:
        name, kind = attributes.get("name"), attributes.get("type", "text").lower()
        value = attributes.get("value", "")
        if not name or kind in ("file", "reset", "button", "image"):
            return
        if kind == "submit":
            self._button(attributes)
        elif kind in ("checkbox", "radio"):
            if "checked" in attributes:
                self._add(name, value or "on", prefilled=True)
        else:
            self._add(name, value, prefilled=kind != "hidden" and bool(value))

    def _button(self, attributes: dict[str, str]) -> None:
        if attributes.get("type", "submit").lower() == "submit" and self._form is not None:
            self._form.buttons.append((attributes.get("name", ""), attributes.get("value", "")))

    def _add(self, name: str, value: str, *, prefilled: bool) -> None:
        assert self._form is not None
        self._form.data.append((name, value))
        if prefilled and name != "csrfmiddlewaretoken":
            self._form.prefilled.append(name)

    def _close_option(self) -> None:
        if self._option is not None:
            value = self._option.get("value", self._option_text.strip())
            self._options.append((value, "selected" in self._option))
            self._option = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._end_select()
        elif tag == "textarea" and self._textarea is not None:
            text = self._text[1:] if self._text.startswith("\n") else self._text
            # Browsers send a text area's line breaks as CRLF, whatever the page had.
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self._add(self._textarea, text, prefilled=bool(text))
            self._textarea = None

    def _end_select(self) -> None:
        self._close_option()
        assert self._select is not None
        name, multiple = self._select
        chosen = [value for value, selected in self._options if selected]
        if not chosen and not multiple and self._options:
            chosen = [self._options[0][0]]
        for value in chosen:
            self._add(name, value, prefilled=value != "" and any(s for _, s in self._options))
        self._select = None


def read_forms(html: str) -> list[Form]:
    reader = FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


def own_post_form(html: str, url: str) -> Form | None:
    """The form the page posts to itself (the one with the most fields when there are several)."""
    forms = [f for f in read_forms(html) if f.method == "post" and f.action in ("", url)]
    return max(forms, key=lambda f: len(f.data), default=None)


def _comparable(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the service's own tables, without update stamps and the audit log."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if not model._meta.app_config.name.startswith("thrive.") or label in IGNORED_MODELS:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.name not in IGNORED_COLUMNS]
        rows[label] = [
            {c: _comparable(v) for c, v in row.items()}
            for row in model._default_manager.order_by("pk").values(*columns)
        ]
    return rows


def _contents(rows: list[dict[str, Any]]) -> Counter[str]:
    return Counter(repr(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows)


def changes(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> list[str]:
    """What differs between two snapshots: rows added or removed, and each changed column.

    A table whose rows are the same, some written again under new ids (a payment schedule
    saved as a whole), has not changed: anything pointing at the old ids would show.
    """
    found = []
    for label, rows in before.items():
        if _contents(rows) == _contents(after[label]):
            continue  # the same rows, perhaps written again under new ids
        old = {row.get("id", repr(row)): row for row in rows}
        new = {row.get("id", repr(row)): row for row in after[label]}
        for key in sorted(set(old) - set(new), key=str):
            found.append(f"{label} {key} removed: {old[key]}")
        for key in sorted(set(new) - set(old), key=str):
            found.append(f"{label} {key} added: {new[key]}")
        for key in sorted(set(old) & set(new), key=str):
            found += [
                f"{label} {key} {column}: {value!r} -> {new[key][column]!r}"
                for column, value in old[key].items()
                if new[key][column] != value
            ]
    return found


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url_for(name: str, world: World) -> str:
    expect = all_expectations()[name]
    return reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None)


def error_summary(html: str) -> list[str]:
    """The messages in the page's error summary (none when it has no summary)."""
    start = html.find('class="govuk-error-summary"')
    if start < 0:
        return []
    end = html.find("</ul>", start)
    items = re.findall(r"<li>(.*?)</li>", html[start:end], flags=re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items] or ["(an error summary)"]

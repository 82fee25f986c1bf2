"""The one shape of a simple create or edit page.

Every such page does the same five things: bind the form to what was posted, and when it is
valid call one service; a ``ValidationError`` from the service goes back onto the form's
fields (renamed where the service's names differ from the form's); otherwise say what
happened and redirect. Pages show ``core/form.html`` unless they need a layout of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from thrive.core.forms import add_service_errors

T = TypeVar("T")

FORM_TEMPLATE = "core/form.html"


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on POST (even when empty), None on GET: what a form is bound to."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> Any:
    """The uploaded files on POST, None on GET."""
    return request.FILES if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    template: str = FORM_TEMPLATE,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """The form's page: ``title``, ``caption``, ``intro``, ``back_url``, ``submit_label`` …"""
    return render(request, template, {"form": form, **context}, status=status)


def rename_errors(error: ValidationError, renames: Mapping[str, str]) -> ValidationError:
    """A service's field errors under the names the form uses for those fields."""
    if not renames or not hasattr(error, "error_dict"):
        return error
    renamed: dict[str, list[ValidationError]] = {}
    for name, errors in error.error_dict.items():
        renamed.setdefault(renames.get(name, name), []).extend(errors)
    return ValidationError(renamed)


def handle_form(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[Any], T],
    success_url: str | Callable[[T], str],
    message: str | Callable[[T], str] | None = None,
    renames: Mapping[str, str] | None = None,
    template: str = FORM_TEMPLATE,
    **context: Any,
) -> HttpResponse:
    """Run one form page: on a valid POST call ``save(form)``, then message and redirect.

    ``save`` calls one service with the cleaned data; what it returns is passed to
    ``success_url`` and ``message`` when they are callables. A ``ValidationError`` it raises
    is shown on the form (field by field, through ``renames``) and nothing is redirected.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form)
        except ValidationError as error:
            add_service_errors(form, rename_errors(error, renames or {}))
        else:
            if message is not None:
                messages.success(request, message(result) if callable(message) else message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return form_page(request, form, template=template, **context)

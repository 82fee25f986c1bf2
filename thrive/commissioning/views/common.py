"""Helpers shared by the commissioning pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.strategy import selectors as strategy_selectors
from thrive.strategy.models import Directorate


def posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty), None on GET."""
    return request.POST if request.method == "POST" else None


def form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "strategy/form.html", {"form": form, **context})


def council_of(request: HttpRequest) -> Any:
    return strategy_selectors.council_for(request.user, request.GET.get("council"))


def my_directorates(user: Any) -> list[Directorate]:
    return list(Directorate.objects.filter(pk__in=user.directorate_ids()).order_by("name"))

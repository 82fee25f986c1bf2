"""The API documentation page: Swagger UI in a page of our own, with a language, a main
landmark and a heading, as every page has (WCAG 2.2 AA)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class AccessibleSwagger(Swagger):
    """django-ninja's Swagger UI, rendered from ``api/docs.html`` instead of its own page."""

    template = "api/docs.html"

    def __init__(self) -> None:
        # Deep links put a link inside each operation's toggle button (nested controls).
        super().__init__(settings={"deepLinking": False})

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        # django-ninja falls back to a page loading Swagger UI from a CDN when "ninja" is not
        # an installed app (it is not, to keep it out of every command's start-up); this page
        # is ours, and its Swagger UI files are served from STATICFILES_DIRS.
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)

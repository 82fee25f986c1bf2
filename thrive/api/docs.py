"""The API documentation page: Swagger UI in a page of our own, with a language, a main
landmark and a heading, as every page has (WCAG 2.2 AA)."""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class AccessibleSwagger(Swagger):
    """django-ninja's Swagger UI, rendered from ``api/docs.html`` instead of its own page."""

    template = "api/docs.html"

    def __init__(self) -> None:
        # Deep links put a link inside each operation's toggle button (nested controls).
        super().__init__(settings={"deepLinking": False})

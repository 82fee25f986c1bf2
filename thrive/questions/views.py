"""The council's pages about the standard forms: the list and a preview of one version."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.core import policy
from thrive.questions import selectors, types


@policy.rule("applications.forms.view")
def form_templates(request: HttpRequest) -> HttpResponse:
    """The standard forms and their versions (each version immutable once used)."""
    return render(
        request, "questions/form_templates.html", {"templates": selectors.form_templates()}
    )


@policy.rule("applications.forms.view")
def form_version(request: HttpRequest, version_id: int) -> HttpResponse:
    """A preview of one form version's pages and questions."""
    version = selectors.get_form_version(pk=version_id)
    pages = [
        {
            "title": s["title"],
            "form": types.SectionForm(s, {}),
            "files": [q for q in s.get("questions", []) if q["type"] == "file"],
        }
        for s in version.sections
    ]
    return render(
        request,
        "questions/form_version.html",
        {"version": version, "pages": pages, "used": version.is_used},
    )

"""What the provider and council pages about one application share: fetching it with its
permission, why it can no longer change, and its answers as rows to read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from thrive.applications import selectors
from thrive.applications.models import Application
from thrive.applications.services import drafts
from thrive.core import branding, policy
from thrive.questions import types as questions


def application_for(request: HttpRequest, application_id: int, action: str) -> Application:
    """The application, if the user may do ``action`` to it; its council brands the page."""
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, action, application)
    branding.page_council(request, application.opportunity.council)
    return application


def closed_message(application: Application) -> str:
    """Why a draft can no longer be changed or submitted; empty while it still can be."""
    try:
        drafts.check_taking_applications(opportunity=application.opportunity, now=timezone.now())
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def answer_rows(application: Application) -> list[dict[str, Any]]:
    """Each page of the form with its questions and the answers given, as read back."""
    attachments = {a.pk: a for a in application.attachments.all()}
    rows = []
    for page in application.form_version.sections:
        items = [
            {
                "label": q.get("label") or q["key"],
                "value": questions.display_answer(
                    q, (application.answers or {}).get(q["key"]), attachments
                ),
            }
            for q in page.get("questions", [])
        ]
        rows.append({"key": page["key"], "title": page["title"], "items": items})
    return rows

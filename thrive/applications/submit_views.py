"""Provider pages after the questions: check your answers and submit, the receipt, withdrawal
and reopening."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from thrive.applications import forms
from thrive.applications.models import ApplicationStatus
from thrive.applications.pages import answer_rows, application_for, closed_message
from thrive.applications.services import drafts, submission
from thrive.core import policy
from thrive.core.dates import format_deadline
from thrive.core.form_views import handle_form, posted
from thrive.core.forms import add_service_errors
from thrive.questions import types as questions


@policy.rule("applications.application.edit")
def check(request: HttpRequest, application_id: int) -> HttpResponse:
    """Check your answers, the declaration, and the idempotent submit."""
    application = application_for(request, application_id, "applications.application.edit")
    if application.status != ApplicationStatus.DRAFT:
        return redirect("applications:receipt", application_id=application.pk)
    form = forms.SubmitForm(posted(request), initial={"idempotency_key": secrets.token_urlsafe(24)})
    if request.method == "POST" and form.is_valid():
        try:
            submission.submit_application(
                application=application,
                actor=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
                declaration=form.cleaned_data["declaration"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if getattr(exc, "code", None) == submission.KEY_REUSED:
                form.data = form.data.copy()  # a fresh key, so pressing submit again works
                form.data["idempotency_key"] = secrets.token_urlsafe(24)
        else:
            return redirect("applications:receipt", application_id=application.pk)
    elif request.method == "POST" and request.POST.get("idempotency_key"):
        done = application.submissions.filter(
            idempotency_key=request.POST["idempotency_key"]
        ).first()
        if done:
            return redirect("applications:receipt", application_id=application.pk)
    pages = submission.errors_by_section(application=application)
    closed = closed_message(application)
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "form": form,
            "errors": _error_links(form, application, closed=bool(closed)),
            "rows": answer_rows(application),
            "facts": drafts.organisation_facts(organisation=application.organisation),
            "incomplete": pages,
            "closes": application.opportunity.closes_display,
            "closed": closed,
        },
    )


def _error_links(form: Any, application: Any, *, closed: bool) -> list[tuple[str, str]]:
    """Each error on check your answers with where it links: the visible input it is about.

    The amount is asked on its own page, so its limit error links to that page's input.
    """
    found = questions.amount_question(application.form_version.sections)
    amount = submission.amount_problem(application=application) if found else None
    default = "#closed" if closed else "#id_declaration"
    links = []
    for message in form.non_field_errors():
        if found and message == amount:
            page = reverse("applications:section", args=[application.pk, found[0]])
            links.append((message, f"{page}?check=1#id_{found[1]}"))
        else:
            links.append((message, default))
    return links + [(message, default) for message in form["declaration"].errors]


@policy.rule("applications.application.edit")
def receipt(request: HttpRequest, application_id: int) -> HttpResponse:
    """The receipt: reference and time; the answers as sent; withdraw or reopen."""
    application = application_for(request, application_id, "applications.application.edit")
    if application.status == ApplicationStatus.DRAFT:
        return redirect("applications:tasks", application_id=application.pk)
    latest = application.submissions.first()
    now = timezone.now()
    return render(
        request,
        "applications/receipt.html",
        {
            "application": application,
            "submission": latest,
            "submitted_display": format_deadline(latest.submitted_at) if latest else "",
            "rows": answer_rows(application),
            "may_change": application.opportunity.is_open(now),
            "decision": getattr(application, "small_grant_decision", None),
            "screening": getattr(application, "screening", None),
        },
    )


@policy.rule("applications.application.edit")
def withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    """Withdraw a submitted application before the deadline."""
    application = application_for(request, application_id, "applications.application.edit")
    return handle_form(
        request,
        forms.WithdrawForm(posted(request)),
        save=lambda form: submission.withdraw_application(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success_url=reverse("applications:receipt", args=[application.pk]),
        message="Your application has been withdrawn.",
        title="Withdraw your application",
        caption=application.reference,
        intro=_withdraw_intro(application.opportunity),
        back_url=reverse("applications:receipt", args=[application.pk]),
        submit_label="Withdraw application",
    )


def _withdraw_intro(opportunity: Any) -> str:
    if opportunity.closes_at is None:
        return (
            "You can reopen it, change it and submit it again at any time: this opportunity "
            "is open all year."
        )
    return (
        "You can reopen it, change it and submit it again until the deadline, "
        f"{opportunity.closes_display}."
    )


@require_POST
@policy.rule("applications.application.edit")
def reopen(request: HttpRequest, application_id: int) -> HttpResponse:
    """Reopen a withdrawn application as a draft, to change it and submit again."""
    application = application_for(request, application_id, "applications.application.edit")
    try:
        submission.reopen_application(application=application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:receipt", application_id=application.pk)
    messages.success(request, "Your application is a draft again. Submit it before the deadline.")
    return redirect("applications:tasks", application_id=application.pk)

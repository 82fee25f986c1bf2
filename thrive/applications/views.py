"""Provider pages while filling an application: the provider home, starting, the task list,
pages of questions and uploads. Checking and submitting are in ``submit_views``; the small
grants eligibility checker is in ``eligibility_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thrive.applications import forms, selectors
from thrive.applications.models import Application, ApplicationStatus, Attachment
from thrive.applications.pages import application_for, closed_message
from thrive.applications.services import drafts, submission
from thrive.core import branding, policy
from thrive.core.form_views import handle_form, posted
from thrive.opportunities import selectors as opportunity_selectors
from thrive.questions import types as questions

STATUS_TAGS = {
    "completed": ("Completed", ""),
    "in_progress": ("In progress", "govuk-tag--light-blue"),
    "not_started": ("Not yet started", "govuk-tag--blue"),
}


@policy.rule("applications.provider")
def home(request: HttpRequest) -> HttpResponse:
    """The provider home: drafts, submitted applications, results and coming deadlines."""
    return render(
        request,
        "applications/home.html",
        {"home": selectors.provider_home(user=request.user)},
    )


@policy.rule("applications.provider")
def start(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Choose the organisation (and lot) and start, or carry on with, an application."""
    opportunity = opportunity_selectors.get_public_opportunity(pk=opportunity_id)
    branding.page_council(request, opportunity.council)
    organisations = opportunity_selectors.provider_organisations(request.user)
    if not organisations:
        raise PermissionDenied("No organisation")

    def save(form: forms.StartForm) -> Application:
        organisation = form.cleaned_data["organisation"]
        policy.require(request.user, "applications.provider", organisation)
        return drafts.start_application(
            opportunity=opportunity,
            organisation=organisation,
            lot=form.cleaned_data.get("lot"),
            actor=request.user,
        )

    return handle_form(
        request,
        forms.StartForm(posted(request), organisations=organisations, lots=opportunity.lots.all()),
        save=save,
        success_url=lambda application: reverse("applications:tasks", args=[application.pk]),
        template="applications/start.html",
        opportunity=opportunity,
        is_open=opportunity.is_open(),
        organisations=organisations,
    )


def _task_sections(application: Any) -> list[dict[str, Any]]:
    rows = []
    for section in application.form_version.sections:
        status = questions.section_status(section, application.answers or {})
        label, css = STATUS_TAGS[status]
        rows.append(
            {
                "key": section["key"],
                "title": section["title"],
                "status": label,
                "tag_class": css,
                "edit": (application.section_edits or {}).get(section["key"]),
            }
        )
    return rows


@policy.rule("applications.application.edit")
def task_list(request: HttpRequest, application_id: int) -> HttpResponse:
    """The task list: each page of the form with its status, then check and submit."""
    application = application_for(request, application_id, "applications.application.edit")
    if application.status != ApplicationStatus.DRAFT:
        return redirect("applications:receipt", application_id=application.pk)
    sections = _task_sections(application)
    # "Your organisation" is listed as a completed task too: count what the page lists.
    done = 1 + sum(1 for s in sections if s["status"] == "Completed")
    return render(
        request,
        "applications/task_list.html",
        {
            "application": application,
            "opportunity": application.opportunity,
            "sections": sections,
            "done": done,
            "total": 1 + len(sections),
            "closes": application.opportunity.closes_display,
            "closed": closed_message(application),
        },
    )


@policy.rule("applications.application.edit")
def organisation(request: HttpRequest, application_id: int) -> HttpResponse:
    """What the register holds about the organisation: used, never asked for again."""
    application = application_for(request, application_id, "applications.application.edit")
    return render(
        request,
        "applications/organisation.html",
        {
            "application": application,
            "facts": drafts.organisation_facts(organisation=application.organisation),
            "may_edit_register": policy.can(
                request.user, "organisations.organisation.edit", application.organisation
            ),
        },
    )


def _section_or_404(application: Any, section_key: str) -> dict[str, Any]:
    section = questions.find_section(application.form_version.sections, section_key)
    if section is None:
        raise Http404("No such section")
    return section


def _next_section(application: Any, section_key: str) -> str | None:
    keys = [s["key"] for s in application.form_version.sections]
    index = keys.index(section_key)
    return keys[index + 1] if index + 1 < len(keys) else None


# Where a page of questions may send the applicant back to after saving: a fixed choice,
# never a URL from the request.
RETURN_PLACES = {"check": "applications:check"}


def _return_place(request: HttpRequest) -> str:
    place = request.POST.get("return") or request.GET.get("return") or ""
    return place if place in RETURN_PLACES else ""


def _after_save(request: HttpRequest, application: Any, section_key: str) -> HttpResponse:
    place = _return_place(request)
    if place:
        return redirect(RETURN_PLACES[place], application_id=application.pk)
    following = _next_section(application, section_key)
    if request.POST.get("then") == "continue" and following:
        return redirect("applications:section", application.pk, following)
    return redirect("applications:tasks", application_id=application.pk)


def _amount_errors(application: Any, page: dict[str, Any]) -> dict[str, list[str]]:
    """The amount's limit error on the page that asks for the amount."""
    found = questions.amount_question([page])
    problem = submission.amount_problem(application=application) if found else None
    return {found[1]: [problem]} if found and problem else {}


def _checked_form(application: Any, page: dict[str, Any]) -> Any:
    answers = application.answers or {}
    errors = questions.section_errors(page, answers, final=True)
    errors.update(_amount_errors(application, page))
    data = questions.answers_as_data(page, answers)
    return questions.SectionForm(page, answers, data if errors else None, errors)


@policy.rule("applications.application.edit")
def section(request: HttpRequest, application_id: int, section_key: str) -> HttpResponse:
    """One page of questions. Saving keeps a draft; required answers are checked on submit."""
    application = application_for(request, application_id, "applications.application.edit")
    if application.status != ApplicationStatus.DRAFT:
        return redirect("applications:receipt", application_id=application.pk)
    page = _section_or_404(application, section_key)
    answers = application.answers or {}
    if request.method == "POST":
        try:
            result = drafts.save_section(
                application=application,
                section_key=section_key,
                data=request.POST,
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("applications:tasks", application_id=application.pk)
        if not result.errors:
            messages.success(request, f"{page['title']}: saved.")
            return _after_save(request, application, section_key)
        form = questions.SectionForm(page, application.answers, request.POST, result.errors)
    elif request.GET.get("check"):
        form = _checked_form(application, page)
    else:
        form = questions.SectionForm(page, answers)
    attachments = {a.question_key: a for a in application.attachments.all()}
    return render(
        request,
        "applications/section.html",
        {
            "application": application,
            "section": page,
            "form": form,
            "file_questions": [
                {"question": q, "attachment": attachments.get(q["key"])}
                for q in form.file_questions
            ],
            "upload_form": forms.UploadForm(),
            "page_has_errors": bool(form.is_bound and form.errors),
            "return_place": _return_place(request),
            "closed": closed_message(application),
        },
    )


@require_POST
@policy.rule("applications.application.edit")
def upload(request: HttpRequest, application_id: int, section_key: str) -> HttpResponse:
    """Upload a file for one question, early and separately from the final submit."""
    application = application_for(request, application_id, "applications.application.edit")
    _section_or_404(application, section_key)
    form = forms.UploadForm(request.POST, request.FILES)
    back = reverse("applications:section", args=[application.pk, section_key])
    if not form.is_valid():
        messages.error(request, "Select a file to upload")
        return redirect(back)
    try:
        drafts.upload_attachment(
            application=application,
            question_key=form.cleaned_data["question"],
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "File uploaded.")
    return redirect(back)


@policy.rule("applications.application.view")
def attachment(request: HttpRequest, application_id: int, attachment_id: int) -> FileResponse:
    """Serve a private attachment to those allowed (sealed bids stay sealed)."""
    application = application_for(request, application_id, "applications.application.view")
    item = get_object_or_404(Attachment, pk=attachment_id, application=application)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )

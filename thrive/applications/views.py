"""Provider pages: the provider home, the task list, pages of questions, uploads, check your
answers, submission, receipt, withdrawal, and the small grants eligibility checker."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from thrive.applications import forms, questions, selectors
from thrive.applications.defaults import small_grants_settings
from thrive.applications.models import ApplicationStatus, Attachment, SmallGrantPurpose
from thrive.applications.services import drafts, small_grants, submission
from thrive.applications.third_sector import KeptTest, kept_test_for
from thrive.core import branding, policy
from thrive.core.forms import add_service_errors
from thrive.opportunities import selectors as opportunity_selectors
from thrive.opportunities.models import OpportunityKind, format_deadline

STATUS_TAGS = {
    "completed": ("Completed", ""),
    "in_progress": ("In progress", "govuk-tag--light-blue"),
    "not_started": ("Not yet started", "govuk-tag--blue"),
}


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _application(request: HttpRequest, application_id: int, action: str) -> Any:
    application = selectors.get_application(pk=application_id)
    policy.require(request.user, action, application)
    branding.page_council(request, application.opportunity.council)
    return application


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
    form = forms.StartForm(
        _posted(request), organisations=organisations, lots=opportunity.lots.all()
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        policy.require(request.user, "applications.provider", organisation)
        try:
            application = drafts.start_application(
                opportunity=opportunity,
                organisation=organisation,
                lot=form.cleaned_data.get("lot"),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("applications:tasks", application_id=application.pk)
    return render(
        request,
        "applications/start.html",
        {
            "form": form,
            "opportunity": opportunity,
            "is_open": opportunity.is_open(),
            "organisations": organisations,
        },
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
    application = _application(request, application_id, "applications.application.edit")
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
            "closed": _closed_message(application),
        },
    )


@policy.rule("applications.application.edit")
def organisation(request: HttpRequest, application_id: int) -> HttpResponse:
    """What the register holds about the organisation: used, never asked for again."""
    application = _application(request, application_id, "applications.application.edit")
    return render(
        request,
        "applications/organisation.html",
        {
            "application": application,
            "facts": drafts.organisation_facts(application.organisation),
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


def _closed_message(application: Any) -> str:
    """Why a draft can no longer be changed or submitted; empty while it still can be."""
    try:
        drafts.check_taking_applications(application.opportunity, timezone.now())
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


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
    problem = submission.amount_problem(application) if found else None
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
    application = _application(request, application_id, "applications.application.edit")
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
            "closed": _closed_message(application),
        },
    )


@require_POST
@policy.rule("applications.application.edit")
def upload(request: HttpRequest, application_id: int, section_key: str) -> HttpResponse:
    """Upload a file for one question, early and separately from the final submit."""
    application = _application(request, application_id, "applications.application.edit")
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
    application = _application(request, application_id, "applications.application.view")
    item = get_object_or_404(Attachment, pk=attachment_id, application=application)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


def _answer_rows(application: Any) -> list[dict[str, Any]]:
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


@policy.rule("applications.application.edit")
def check(request: HttpRequest, application_id: int) -> HttpResponse:
    """Check your answers, the declaration, and the idempotent submit."""
    application = _application(request, application_id, "applications.application.edit")
    if application.status != ApplicationStatus.DRAFT:
        return redirect("applications:receipt", application_id=application.pk)
    form = forms.SubmitForm(
        _posted(request), initial={"idempotency_key": secrets.token_urlsafe(24)}
    )
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
    pages = submission.errors_by_section(application)
    closed = _closed_message(application)
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "form": form,
            "errors": _error_links(form, application, closed=bool(closed)),
            "rows": _answer_rows(application),
            "facts": drafts.organisation_facts(application.organisation),
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
    amount = submission.amount_problem(application) if found else None
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
    application = _application(request, application_id, "applications.application.edit")
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
            "rows": _answer_rows(application),
            "may_change": application.opportunity.is_open(now),
            "decision": getattr(application, "small_grant_decision", None),
            "screening": getattr(application, "screening", None),
        },
    )


@policy.rule("applications.application.edit")
def withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    """Withdraw a submitted application before the deadline."""
    application = _application(request, application_id, "applications.application.edit")
    form = forms.WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission.withdraw_application(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your application has been withdrawn.")
            return redirect("applications:receipt", application_id=application.pk)
    return render(
        request,
        "opportunities/form.html",
        {
            "form": form,
            "title": "Withdraw your application",
            "caption": application.reference,
            "intro": _withdraw_intro(application.opportunity),
            "back_url": reverse("applications:receipt", args=[application.pk]),
            "submit_label": "Withdraw application",
        },
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
    application = _application(request, application_id, "applications.application.edit")
    try:
        submission.reopen_application(application=application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:receipt", application_id=application.pk)
    messages.success(request, "Your application is a draft again. Submit it before the deadline.")
    return redirect("applications:tasks", application_id=application.pk)


def _kept_test_context(request: HttpRequest, kept: KeptTest | None, form: Any) -> dict[str, Any]:
    """The kept Third Sector test, and where an admin whose answer differs records the new one."""
    answer = form.cleaned_data["third_sector"] if form is not None else ""
    differs = kept is not None and kept.differs_from(answer)
    back = request.get_full_path()
    return {
        "kept": kept,
        "kept_change_url": kept.change_url(answer or kept.answer, back) if kept else "",
        "kept_differs": differs,
    }


@policy.rule(policy.PUBLIC)
def eligibility(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The small grants eligibility checker: each "no" comes with its reason (§3.1)."""
    opportunity = opportunity_selectors.get_public_opportunity(pk=opportunity_id)
    if opportunity.kind != OpportunityKind.SMALL_GRANTS:
        raise Http404("Not a small grants scheme")
    branding.page_council(request, opportunity.council)
    scheme = small_grants_settings(opportunity.council)
    purposes = [
        (p.code, p.label)
        for p in SmallGrantPurpose.objects.filter(council=opportunity.council, is_active=True)
    ]
    kept = kept_test_for(request.user)
    initial = {"third_sector": kept.answer} if kept else None
    form = forms.EligibilityForm(request.GET or None, purposes=purposes, initial=initial)
    checks = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        checks = small_grants.check_eligibility(
            council=opportunity.council,
            answers=small_grants.EligibilityAnswers(
                third_sector=data["third_sector"],
                income_pence=data["income"],
                local_benefit=data["local_benefit"],
                purpose=data["purpose"],
                amount_pence=data["amount"],
                current_grant=data["current_grant"],
            ),
        )
    return render(
        request,
        "applications/eligibility.html",
        {
            "opportunity": opportunity,
            "form": form,
            "checks": checks,
            "eligible": checks is not None and all(c.passed for c in checks),
            "may_apply": policy.may_start_application(request.user),
            "scheme": scheme,
            **_kept_test_context(request, kept, form if checks is not None else None),
            "page_has_errors": bool(request.GET and form.errors),
        },
    )

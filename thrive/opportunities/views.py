"""Pages for opportunities: the public list and detail, documents, questions, alerts, and the
commissioner's pages to build, publish and run an opportunity."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.core import branding, policy
from thrive.core.forms import add_service_errors
from thrive.core.models import Area
from thrive.opportunities import amendments, forms, selectors, services
from thrive.opportunities.models import (
    AlertPreference,
    Clarification,
    Criterion,
    Document,
    Opportunity,
    OpportunityStatus,
    format_deadline,
)
from thrive.organisations.models import Organisation
from thrive.strategy.models import Outcome


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "opportunities/form.html", {"form": form, **context})


# --- public ----------------------------------------------------------------------------


def _filters(form: forms.OpportunityFilterForm) -> selectors.OpportunityFilters:
    if not form.is_valid():
        return selectors.OpportunityFilters()
    data = form.cleaned_data
    return selectors.OpportunityFilters(
        q=data.get("q") or "",
        council=data.get("council"),
        outcome=data.get("outcome"),
        area=data.get("area"),
        kind=data.get("kind") or "",
        min_value=data.get("min_value"),
        max_value=data.get("max_value"),
        closes_before=data.get("closes_before"),
        include_closed=bool(data.get("include_closed")),
    )


@policy.rule(policy.PUBLIC)
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """Open opportunities with search and filters (§4.1: advertised as widely as possible)."""
    councils = list(Council.objects.order_by("name"))
    form = forms.OpportunityFilterForm(
        request.GET or None,
        councils=councils,
        outcomes=list(
            Outcome.objects.active().select_related("council").order_by("council__name", "order")
        ),
        areas=list(Area.objects.order_by("name")),
    )
    page = Paginator(selectors.public_opportunities(filters=_filters(form)), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "opportunities/list.html",
        {"form": form, "page": page, "page_has_errors": bool(request.GET and form.errors)},
    )


@policy.rule(policy.PUBLIC)
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Everything every applicant sees alike: lots, value, criteria, timeline, documents, Q&A."""
    opportunity = selectors.get_public_opportunity(pk=opportunity_id, user=request.user)
    branding.page_council(request, opportunity.council)
    now = timezone.now()
    return render(
        request,
        "opportunities/detail.html",
        {
            "opportunity": opportunity,
            "is_open": opportunity.is_open(now),
            "questions_open": opportunity.clarifications_open(now),
            "may_manage": policy.can(request.user, "opportunities.manage", opportunity),
            "is_provider": policy.is_provider_user(request.user),
            "may_apply": policy.may_start_application(request.user),
        },
    )


@policy.rule(policy.PUBLIC)
def document_download(request: HttpRequest, opportunity_id: int, document_id: int) -> FileResponse:
    """A document of a published opportunity (drafts: staff who may see them)."""
    opportunity = selectors.get_public_opportunity(pk=opportunity_id, user=request.user)
    branding.page_council(request, opportunity.council)
    document = get_object_or_404(Document, pk=document_id, opportunity=opportunity)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type,
    )


def _questions_close(opportunity: Opportunity) -> str:
    deadline = opportunity.clarification_deadline or opportunity.closes_at
    return f"Questions close at {format_deadline(deadline)}." if deadline else ""


@policy.rule("opportunities.provider")
def ask_question(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Ask a clarification question for one of the user's organisations."""
    opportunity = selectors.get_public_opportunity(pk=opportunity_id, user=request.user)
    branding.page_council(request, opportunity.council)
    organisations = selectors.provider_organisations(request.user)
    if not organisations:
        raise PermissionDenied("No organisation")
    form = forms.QuestionForm(_posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        policy.require(request.user, "opportunities.provider", organisation)
        try:
            services.ask_clarification(
                opportunity=opportunity,
                organisation=organisation,
                actor=request.user,
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Your question has been sent. The answer will be published to everyone."
            )
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    return _form_page(
        request,
        form,
        title="Ask a question",
        caption=opportunity.title,
        intro=_questions_close(opportunity),
        back_url=reverse("opportunities:detail", args=[opportunity.pk]),
        submit_label="Send question",
    )


@policy.rule("opportunities.provider")
def alerts(request: HttpRequest) -> HttpResponse:
    """An organisation chooses which opportunities it hears about by email."""
    organisations = selectors.provider_organisations(request.user)
    if not organisations:
        raise PermissionDenied("No organisation")
    organisation = organisations[0]
    chosen = request.GET.get("organisation") or request.POST.get("organisation")
    if chosen:
        organisation = next((o for o in organisations if str(o.pk) == chosen), None)
        if organisation is None:
            raise Http404("Not one of your organisations")
    preference = AlertPreference.objects.filter(organisation=organisation).first()
    initial = {"is_active": True}
    if preference:
        initial = {
            "is_active": preference.is_active,
            "kinds": preference.kinds,
            "outcomes": list(preference.outcomes.all()),
            "areas": list(preference.areas.all()),
        }
    form = forms.AlertForm(
        _posted(request),
        initial=initial,
        outcomes=Outcome.objects.active().select_related("council").order_by("council", "order"),
        areas=Area.objects.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        services.save_alert_preference(
            organisation=organisation,
            actor=request.user,
            is_active=form.cleaned_data["is_active"],
            kinds=form.cleaned_data["kinds"],
            outcomes=list(form.cleaned_data["outcomes"]),
            areas=list(form.cleaned_data["areas"]),
        )
        messages.success(request, f"Alert choices saved for {organisation.name}.")
        return redirect(f"{reverse('opportunities:alerts')}?organisation={organisation.pk}")
    return render(
        request,
        "opportunities/alerts.html",
        {"form": form, "organisation": organisation, "organisations": organisations},
    )


# --- staff -----------------------------------------------------------------------------


def _staff_opportunity(request: HttpRequest, opportunity_id: int, action: str) -> Opportunity:
    opportunity = selectors.get_staff_opportunity(pk=opportunity_id)
    policy.require(request.user, action, opportunity)
    return opportunity


@policy.rule("opportunities.staff.view")
def manage(request: HttpRequest) -> HttpResponse:
    """The council's opportunities, drafts included."""
    status = request.GET.get("status", "")
    if status not in OpportunityStatus.values:
        status = ""
    page = Paginator(selectors.opportunities_for_staff(user=request.user, status=status), 25)
    return render(
        request,
        "opportunities/manage.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "status": status,
            "statuses": OpportunityStatus.choices,
            "may_create": policy.can(request.user, "opportunities.manage")
            and bool(request.user.council_id),
        },
    )


def _templates() -> Any:
    from thrive.applications.defaults import ensure_default_templates
    from thrive.applications.models import FormTemplate

    ensure_default_templates()
    return FormTemplate.objects.filter(is_active=True)


def _opportunity_fields(data: dict[str, Any]) -> dict[str, Any]:
    names = [
        "intention",
        "title",
        "summary",
        "description",
        "process",
        "kind",
        "form_template",
        "value_pence",
        "max_award_pence",
        "opens_at",
        "clarification_deadline",
        "closes_at",
        "decision_expected",
    ]
    return {name: data.get(name) for name in names}


def _from_intention(request: HttpRequest, council: Any) -> dict[str, Any]:
    """Start the form from a decided intention named in ``?intention=``."""
    from thrive.opportunities.intentions import decided_intentions, defaults_from

    chosen = request.GET.get("intention", "")
    intention = (
        decided_intentions(council=council).filter(pk=chosen).first() if chosen.isdigit() else None
    )
    return defaults_from(intention) if intention is not None else {}


@policy.rule("opportunities.manage")
def create(request: HttpRequest) -> HttpResponse:
    """A commissioner drafts an opportunity, from a decided intention or as a grants round."""
    council = request.user.council
    if council is None:
        raise PermissionDenied("Staff of a council create opportunities")
    form = forms.OpportunityForm(
        _posted(request),
        initial=_from_intention(request, council),
        council=council,
        templates=_templates(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        directorate = data["directorate"]
        if not policy.can(
            request.user,
            "opportunities.manage",
            Opportunity(council=council, directorate=directorate),
        ):
            form.add_error("directorate", "Select a directorate you work for")
        else:
            try:
                opportunity = services.create_opportunity(
                    council=council,
                    directorate=directorate,
                    actor=request.user,
                    outcomes=list(data["outcomes"]),
                    areas=list(data["areas"]),
                    **_opportunity_fields(data),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Draft opportunity {opportunity.reference} saved.")
                return redirect("opportunities:manage_detail", opportunity_id=opportunity.pk)
    return _form_page(
        request,
        form,
        title="Create an opportunity",
        caption=council.name,
        back_url=reverse("opportunities:manage"),
        submit_label="Save draft",
    )


def _on_date_fields(error: ValidationError) -> ValidationError:
    """Point a service's error about an instant at the date field the form shows for it."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {f"{k}_date" if k in forms.MOMENTS else k: v for k, v in error.error_dict.items()}
    )


def _edit_initial(opportunity: Opportunity) -> dict[str, Any]:
    """The form's starting values, each in the format its field accepts back."""
    initial = {
        **_opportunity_fields(opportunity.__dict__),
        "form_template": opportunity.form_template_id,
        "intention": opportunity.intention_id,
        "directorate": opportunity.directorate_id,
        "outcomes": list(opportunity.outcomes.all()),
        "areas": list(opportunity.areas.all()),
    }
    for name in forms.MOMENTS:
        initial.update(forms.moment_initial(name, getattr(opportunity, name)))
    return initial


@policy.rule("opportunities.manage")
def edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Change a draft; a published opportunity is changed on the amendment page."""
    opportunity = _staff_opportunity(request, opportunity_id, "opportunities.manage")
    if opportunity.status == OpportunityStatus.PUBLISHED:
        return _amend(request, opportunity)
    form = forms.OpportunityForm(
        _posted(request),
        initial=_edit_initial(opportunity),
        council=opportunity.council,
        templates=_templates(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        forms.keep_shown_moments(data, opportunity, forms.MOMENTS)
        try:
            services.update_opportunity(
                opportunity=opportunity,
                actor=request.user,
                outcomes=list(data["outcomes"]),
                areas=list(data["areas"]),
                **_opportunity_fields(data),
            )
        except ValidationError as exc:
            add_service_errors(form, _on_date_fields(exc))
        else:
            messages.success(request, "Opportunity saved.")
            return redirect("opportunities:manage_detail", opportunity_id=opportunity.pk)
    return _form_page(
        request,
        form,
        title="Change the opportunity",
        caption=opportunity.reference,
        back_url=reverse("opportunities:manage_detail", args=[opportunity.pk]),
        submit_label="Save",
    )


AMEND_FIELDS = (*amendments.CORRECTIONS, *amendments.TERMS)


def _amend(request: HttpRequest, opportunity: Opportunity) -> HttpResponse:
    """The amendment page: terms change by a published amendment with its reason."""
    form = forms.AmendmentForm(
        _posted(request), initial=_edit_initial(opportunity), council=opportunity.council
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        forms.keep_shown_moments(data, opportunity, forms.MOMENTS)
        try:
            result = amendments.amend_opportunity(
                opportunity=opportunity,
                actor=request.user,
                reason=data["reason"],
                outcomes=list(data["outcomes"]),
                areas=list(data["areas"]),
                **{name: data[name] for name in AMEND_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, _on_date_fields(exc))
        else:
            messages.success(request, _amended_message(result))
            return redirect("opportunities:manage_detail", opportunity_id=opportunity.pk)
    return render(
        request,
        "opportunities/amend.html",
        {
            "form": form,
            "opportunity": opportunity,
            "amendments": opportunity.amendments.all(),
        },
    )


def _amended_message(result: amendments.AmendmentResult) -> str:
    if result.amendment is not None:
        return (
            f"Amendment {result.amendment.number} is published and sent to every organisation "
            "with a draft or submitted application."
        )
    return "Corrections saved." if result.corrected else "Nothing was changed."


@policy.rule("opportunities.staff.view")
def manage_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The commissioner's view: set-up, publication checks, invitations, questions, bids."""
    opportunity = _staff_opportunity(request, opportunity_id, "opportunities.staff.view")
    now = timezone.now()
    from thrive.applications.selectors import received_count_for

    return render(
        request,
        "opportunities/manage_detail.html",
        {
            "opportunity": opportunity,
            "lots": opportunity.lots.all(),
            "criteria": opportunity.criteria.select_related("lot"),
            "documents": opportunity.documents.all(),
            "invitations": opportunity.invitations.select_related("organisation", "invited_by"),
            "questions": opportunity.clarifications.all(),
            "problems": services.publication_problems(opportunity, now=now)
            if opportunity.status == OpportunityStatus.DRAFT
            else [],
            "may_manage": policy.can(request.user, "opportunities.manage", opportunity),
            "may_read_bids": policy.can(request.user, "applications.received.view", opportunity),
            "may_view_panel": policy.can(request.user, "assessment.panel.view", opportunity),
            "may_open_bids": policy.can(request.user, "applications.bids.open", opportunity),
            "received": received_count_for(user=request.user, opportunity=opportunity, now=now),
            "has_closed": opportunity.has_closed(now),
            "opening": getattr(opportunity, "bid_opening", None),
        },
    )


def _sub_form(
    request: HttpRequest,
    opportunity_id: int,
    form_class: Any,
    save: Any,
    *,
    title: str,
    done: str,
    multipart: bool = False,
    form_kwargs: Any = None,
    submit_label: str | None = None,
) -> HttpResponse:
    opportunity = _staff_opportunity(request, opportunity_id, "opportunities.manage")
    extra = form_kwargs(opportunity) if form_kwargs else {}
    if multipart and request.method == "POST":
        form = form_class(request.POST, request.FILES, **extra)
    else:
        form = form_class(_posted(request), **extra)
    if request.method == "POST" and form.is_valid():
        try:
            save(opportunity, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("opportunities:manage_detail", opportunity_id=opportunity.pk)
    return _form_page(
        request,
        form,
        title=title,
        caption=opportunity.reference,
        back_url=reverse("opportunities:manage_detail", args=[opportunity.pk]),
        submit_label=submit_label or title,
        multipart=multipart,
    )


@policy.rule("opportunities.manage")
def add_lot(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _sub_form(
        request,
        opportunity_id,
        forms.LotForm,
        lambda o, d: services.add_lot(opportunity=o, actor=request.user, **d),
        title="Add a lot",
        done="Lot added.",
    )


@policy.rule("opportunities.manage")
def add_criterion(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _sub_form(
        request,
        opportunity_id,
        forms.CriterionForm,
        lambda o, d: services.add_criterion(opportunity=o, actor=request.user, **d),
        title="Add a criterion",
        done="Criterion added.",
        form_kwargs=lambda o: {"lots": o.lots.all()},
    )


@policy.rule("opportunities.manage")
def remove_criterion(request: HttpRequest, opportunity_id: int, criterion_id: int) -> HttpResponse:
    """Confirm, then take a criterion off a draft opportunity."""
    criterion = get_object_or_404(
        Criterion.objects.select_related("opportunity", "lot"),
        pk=criterion_id,
        opportunity_id=opportunity_id,
    )
    return _sub_form(
        request,
        opportunity_id,
        forms.ConfirmForm,
        lambda o, d: services.remove_criterion(criterion=criterion, actor=request.user),
        title=f"Remove the criterion “{criterion.title}”",
        done="Criterion removed.",
        submit_label="Remove the criterion",
    )


@policy.rule("opportunities.manage")
def add_document(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _sub_form(
        request,
        opportunity_id,
        forms.DocumentForm,
        lambda o, d: services.add_document(
            opportunity=o, actor=request.user, title=d["title"], upload=d["file"]
        ),
        title="Add a document",
        done="Document added.",
        multipart=True,
    )


@policy.rule("opportunities.manage")
def publish(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Confirm and publish; problems are listed in words the commissioner can act on."""
    opportunity = _staff_opportunity(request, opportunity_id, "opportunities.manage")
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.publish_opportunity(opportunity=opportunity, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"{opportunity.reference} is published.")
            return redirect("opportunities:manage_detail", opportunity_id=opportunity.pk)
    else:
        errors = services.publication_problems(opportunity, now=timezone.now())
    return render(
        request,
        "opportunities/publish.html",
        {"opportunity": opportunity, "errors": errors, "page_has_errors": bool(errors)},
    )


@policy.rule("opportunities.manage")
def cancel(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _sub_form(
        request,
        opportunity_id,
        forms.CancelForm,
        lambda o, d: services.cancel_opportunity(
            opportunity=o, actor=request.user, reason=d["reason"]
        ),
        title="Cancel the opportunity",
        done="Opportunity cancelled.",
    )


@policy.rule("opportunities.manage")
def invite(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Invite a named organisation to quote (§4.1); the invitation is recorded."""
    opportunity = _staff_opportunity(request, opportunity_id, "opportunities.manage")
    form = forms.InvitationForm(
        _posted(request), organisations=Organisation.objects.active().order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_to_quote(
                opportunity=opportunity,
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['organisation'].name} invited.")
            return redirect("opportunities:manage_detail", opportunity_id=opportunity.pk)
    return _form_page(
        request,
        form,
        title="Invite an organisation",
        caption=opportunity.reference,
        intro="The organisation gets an email. It sees exactly what everyone else sees.",
        back_url=reverse("opportunities:manage_detail", args=[opportunity.pk]),
        submit_label="Send invitation",
    )


@policy.rule("opportunities.manage")
def answer_question(request: HttpRequest, clarification_id: int) -> HttpResponse:
    """Answer a question; the answer is published to everyone without the asker."""
    clarification = get_object_or_404(
        Clarification.objects.select_related("opportunity"), pk=clarification_id
    )
    policy.require(request.user, "opportunities.manage", clarification.opportunity)
    form = forms.AnswerForm(
        _posted(request), initial={"published_question": clarification.question}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_clarification(
                clarification=clarification, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Answer published to everyone.")
            return redirect(
                "opportunities:manage_detail", opportunity_id=clarification.opportunity_id
            )
    return _form_page(
        request,
        form,
        title="Answer a question",
        caption=clarification.opportunity.reference,
        intro=f"Asked: {clarification.question}",
        back_url=reverse("opportunities:manage_detail", args=[clarification.opportunity_id]),
        submit_label="Publish answer",
    )

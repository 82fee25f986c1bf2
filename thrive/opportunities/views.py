"""Public pages for opportunities: the list and detail, documents, questions and alerts.

The commissioner's pages to build, publish and run an opportunity are in ``staff_views``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Council
from thrive.core import branding, policy
from thrive.core.dates import format_deadline
from thrive.core.form_views import handle_form, posted
from thrive.core.models import Area
from thrive.opportunities import forms, selectors, services
from thrive.opportunities.models import Clarification, Document, Opportunity
from thrive.organisations.models import Organisation
from thrive.strategy.models import Outcome


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

    def save(form: forms.QuestionForm) -> Clarification:
        organisation = form.cleaned_data["organisation"]
        policy.require(request.user, "opportunities.provider", organisation)
        return services.ask_clarification(
            opportunity=opportunity,
            organisation=organisation,
            actor=request.user,
            question=form.cleaned_data["question"],
        )

    return handle_form(
        request,
        forms.QuestionForm(posted(request), organisations=organisations),
        save=save,
        success_url=reverse("opportunities:detail", args=[opportunity.pk]),
        message="Your question has been sent. The answer will be published to everyone.",
        title="Ask a question",
        caption=opportunity.title,
        intro=_questions_close(opportunity),
        back_url=reverse("opportunities:detail", args=[opportunity.pk]),
        submit_label="Send question",
    )


def _chosen_organisation(request: HttpRequest, organisations: list[Organisation]) -> Organisation:
    chosen = request.GET.get("organisation") or request.POST.get("organisation")
    if not chosen:
        return organisations[0]
    organisation = next((o for o in organisations if str(o.pk) == chosen), None)
    if organisation is None:
        raise Http404("Not one of your organisations")
    return organisation


@policy.rule("opportunities.provider")
def alerts(request: HttpRequest) -> HttpResponse:
    """An organisation chooses which opportunities it hears about by email."""
    organisations = list(selectors.provider_organisations(request.user))
    if not organisations:
        raise PermissionDenied("No organisation")
    organisation = _chosen_organisation(request, organisations)
    form = forms.AlertForm(
        posted(request),
        initial=selectors.alert_choices(organisation=organisation),
        outcomes=Outcome.objects.active().select_related("council").order_by("council", "order"),
        areas=Area.objects.order_by("name"),
    )
    return handle_form(
        request,
        form,
        save=lambda form: services.save_alert_preference(
            organisation=organisation,
            actor=request.user,
            is_active=form.cleaned_data["is_active"],
            kinds=form.cleaned_data["kinds"],
            outcomes=list(form.cleaned_data["outcomes"]),
            areas=list(form.cleaned_data["areas"]),
        ),
        success_url=f"{reverse('opportunities:alerts')}?organisation={organisation.pk}",
        message=f"Alert choices saved for {organisation.name}.",
        template="opportunities/alerts.html",
        organisation=organisation,
        organisations=organisations,
    )

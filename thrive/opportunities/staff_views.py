"""The commissioner's pages: the council's opportunities, and creating, changing, amending,
reading and publishing one. The small pages off an opportunity's page (lots, criteria,
documents, cancelling, invitations, answers) are in ``detail_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.opportunities import amendments, forms, selectors, services
from thrive.opportunities.extensions import manage_sections
from thrive.opportunities.intentions import decided_intentions, defaults_from
from thrive.opportunities.models import (
    Opportunity,
    OpportunityStatus,
)
from thrive.questions.selectors import active_form_templates

# A service names instants (``closes_at``); the form shows each as a date and a time field.
ON_DATE_FIELDS = {name: f"{name}_date" for name in forms.MOMENTS}


def staff_opportunity(request: HttpRequest, opportunity_id: int, action: str) -> Opportunity:
    """The opportunity, if the user may do ``action`` to it."""
    opportunity = selectors.get_staff_opportunity(pk=opportunity_id)
    policy.require(request.user, action, opportunity)
    return opportunity


def manage_url(opportunity_id: int) -> str:
    """The address of the commissioner's page of the opportunity."""
    return reverse("opportunities:manage_detail", args=[opportunity_id])


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

    def save(form: forms.OpportunityForm) -> Opportunity:
        data = form.cleaned_data
        directorate = data["directorate"]
        draft = Opportunity(council=council, directorate=directorate)
        if not policy.can(request.user, "opportunities.manage", draft):
            raise ValidationError({"directorate": "Select a directorate you work for"})
        return services.create_opportunity(
            council=council,
            directorate=directorate,
            actor=request.user,
            outcomes=list(data["outcomes"]),
            areas=list(data["areas"]),
            **_opportunity_fields(data),
        )

    form = forms.OpportunityForm(
        posted(request),
        initial=_from_intention(request, council),
        council=council,
        templates=active_form_templates(),
    )
    return handle_form(
        request,
        form,
        save=save,
        success_url=lambda opportunity: manage_url(opportunity.pk),
        message=lambda opportunity: f"Draft opportunity {opportunity.reference} saved.",
        title="Create an opportunity",
        caption=council.name,
        back_url=reverse("opportunities:manage"),
        submit_label="Save draft",
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
    opportunity = staff_opportunity(request, opportunity_id, "opportunities.manage")
    if opportunity.status == OpportunityStatus.PUBLISHED:
        return _amend(request, opportunity)

    def save(form: forms.OpportunityForm) -> Opportunity:
        data = form.cleaned_data
        forms.keep_shown_moments(data, opportunity, forms.MOMENTS)
        return services.update_opportunity(
            opportunity=opportunity,
            actor=request.user,
            outcomes=list(data["outcomes"]),
            areas=list(data["areas"]),
            **_opportunity_fields(data),
        )

    form = forms.OpportunityForm(
        posted(request),
        initial=_edit_initial(opportunity),
        council=opportunity.council,
        templates=active_form_templates(),
    )
    return handle_form(
        request,
        form,
        save=save,
        success_url=manage_url(opportunity.pk),
        message="Opportunity saved.",
        renames=ON_DATE_FIELDS,
        title="Change the opportunity",
        caption=opportunity.reference,
        back_url=manage_url(opportunity.pk),
        submit_label="Save",
    )


AMEND_FIELDS = (*amendments.CORRECTIONS, *amendments.TERMS)


def _amend(request: HttpRequest, opportunity: Opportunity) -> HttpResponse:
    """The amendment page: terms change by a published amendment with its reason."""

    def save(form: forms.AmendmentForm) -> amendments.AmendmentResult:
        data = form.cleaned_data
        forms.keep_shown_moments(data, opportunity, forms.MOMENTS)
        return amendments.amend_opportunity(
            opportunity=opportunity,
            actor=request.user,
            reason=data["reason"],
            outcomes=list(data["outcomes"]),
            areas=list(data["areas"]),
            **{name: data[name] for name in AMEND_FIELDS},
        )

    form = forms.AmendmentForm(
        posted(request), initial=_edit_initial(opportunity), council=opportunity.council
    )
    return handle_form(
        request,
        form,
        save=save,
        success_url=manage_url(opportunity.pk),
        message=_amended_message,
        renames=ON_DATE_FIELDS,
        template="opportunities/amend.html",
        opportunity=opportunity,
        amendments=opportunity.amendments.all(),
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
    opportunity = staff_opportunity(request, opportunity_id, "opportunities.staff.view")
    now = timezone.now()
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
            "problems": services.publication_problems(opportunity=opportunity, now=now)
            if opportunity.status == OpportunityStatus.DRAFT
            else [],
            "may_manage": policy.can(request.user, "opportunities.manage", opportunity),
            "may_view_panel": policy.can(request.user, "assessment.panel.view", opportunity),
            "sections": [section(request, opportunity) for section in manage_sections],
        },
    )


@policy.rule("opportunities.manage")
def publish(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Confirm and publish; problems are listed in words the commissioner can act on."""
    opportunity = staff_opportunity(request, opportunity_id, "opportunities.manage")
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
        errors = services.publication_problems(opportunity=opportunity, now=timezone.now())
    return render(
        request,
        "opportunities/publish.html",
        {"opportunity": opportunity, "errors": errors, "page_has_errors": bool(errors)},
    )

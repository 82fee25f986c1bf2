"""The small pages off the commissioner's page of an opportunity: add a lot, a criterion or a
document, remove a criterion, cancel, invite an organisation, answer a question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from thrive.core import policy
from thrive.core.form_views import handle_form, posted, posted_files
from thrive.opportunities import forms, selectors, services
from thrive.opportunities.models import Clarification, Criterion, Opportunity
from thrive.opportunities.staff_views import manage_url, staff_opportunity
from thrive.organisations.models import Organisation


def _sub_form(
    request: HttpRequest,
    opportunity: Opportunity,
    form: django_forms.BaseForm,
    save: Callable[[Any], object],
    *,
    title: str,
    done: str,
    multipart: bool = False,
    submit_label: str | None = None,
) -> HttpResponse:
    """A small form on a draft or published opportunity that returns to its page."""
    return handle_form(
        request,
        form,
        save=save,
        success_url=manage_url(opportunity.pk),
        message=done,
        title=title,
        caption=opportunity.reference,
        back_url=manage_url(opportunity.pk),
        submit_label=submit_label or title,
        multipart=multipart,
    )


def _managed(request: HttpRequest, opportunity_id: int) -> Opportunity:
    return staff_opportunity(request, opportunity_id, "opportunities.manage")


@policy.rule("opportunities.manage")
def add_lot(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    return _sub_form(
        request,
        opportunity,
        forms.LotForm(posted(request)),
        lambda form: services.add_lot(
            opportunity=opportunity, actor=request.user, **form.cleaned_data
        ),
        title="Add a lot",
        done="Lot added.",
    )


@policy.rule("opportunities.manage")
def add_criterion(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    return _sub_form(
        request,
        opportunity,
        forms.CriterionForm(posted(request), lots=opportunity.lots.all()),
        lambda form: services.add_criterion(
            opportunity=opportunity, actor=request.user, **form.cleaned_data
        ),
        title="Add a criterion",
        done="Criterion added.",
    )


@policy.rule("opportunities.manage")
def remove_criterion(request: HttpRequest, opportunity_id: int, criterion_id: int) -> HttpResponse:
    """Confirm, then take a criterion off a draft opportunity."""
    criterion = get_object_or_404(
        Criterion.objects.select_related("opportunity", "lot"),
        pk=criterion_id,
        opportunity_id=opportunity_id,
    )
    opportunity = _managed(request, opportunity_id)
    return _sub_form(
        request,
        opportunity,
        forms.ConfirmForm(posted(request)),
        lambda form: services.remove_criterion(criterion=criterion, actor=request.user),
        title=f"Remove the criterion “{criterion.title}”",
        done="Criterion removed.",
        submit_label="Remove the criterion",
    )


@policy.rule("opportunities.manage")
def add_document(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    return _sub_form(
        request,
        opportunity,
        forms.DocumentForm(posted(request), posted_files(request)),
        lambda form: services.add_document(
            opportunity=opportunity,
            actor=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        title="Add a document",
        done="Document added.",
        multipart=True,
    )


@policy.rule("opportunities.manage")
def cancel(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    return _sub_form(
        request,
        opportunity,
        forms.CancelForm(posted(request)),
        lambda form: services.cancel_opportunity(
            opportunity=opportunity, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        title="Cancel the opportunity",
        done="Opportunity cancelled.",
    )


def _described(organisation: Organisation) -> str:
    """An organisation as a search result: its name, numbers and town, to tell it apart."""
    details = [identifier.org_id for identifier in organisation.identifiers.all()]
    details += [organisation.town] if organisation.town else []
    return f"{organisation.name} ({', '.join(details)})" if details else organisation.name


@policy.rule("opportunities.manage")
def invite(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Find an organisation on the register, then invite it to quote (§4.1); it is recorded.

    The search is a GET on this page; the choice and the note are posted to the same
    address, so the results are shown again beside any error.
    """
    opportunity = _managed(request, opportunity_id)
    text = request.GET.get("q", "").strip()[:200]
    found = selectors.organisations_found_to_invite(text=text)
    results = found[: selectors.INVITE_RESULTS]
    form = forms.InvitationForm(
        posted(request),
        organisations=selectors.organisations_to_invite(),
        shown=[(organisation.pk, _described(organisation)) for organisation in results],
    )
    return handle_form(
        request,
        form,
        save=lambda form: services.invite_to_quote(
            opportunity=opportunity,
            organisation=form.cleaned_data["organisation"],
            actor=request.user,
            note=form.cleaned_data["note"],
        ),
        success_url=manage_url(opportunity.pk),
        message=lambda invitation: f"{invitation.organisation.name} invited.",
        template="opportunities/invite.html",
        title="Invite an organisation",
        caption=opportunity.reference,
        intro="The organisation gets an email. It sees exactly what everyone else sees.",
        back_url=manage_url(opportunity.pk),
        submit_label="Send invitation",
        q=text,
        results=results,
        more=len(found) > len(results),
    )


@policy.rule("opportunities.manage")
def answer_question(request: HttpRequest, clarification_id: int) -> HttpResponse:
    """Answer a question; the answer is published to everyone without the asker."""
    clarification = get_object_or_404(
        Clarification.objects.select_related("opportunity"), pk=clarification_id
    )
    policy.require(request.user, "opportunities.manage", clarification.opportunity)
    form = forms.AnswerForm(posted(request), initial={"published_question": clarification.question})
    return handle_form(
        request,
        form,
        save=lambda form: services.answer_clarification(
            clarification=clarification, actor=request.user, **form.cleaned_data
        ),
        success_url=manage_url(clarification.opportunity_id),
        message="Answer published to everyone.",
        title="Answer a question",
        caption=clarification.opportunity.reference,
        intro=f"Asked: {clarification.question}",
        back_url=manage_url(clarification.opportunity_id),
        submit_label="Publish answer",
    )

"""An organisation's page and the pages that keep its profile up to date."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.organisations import selectors, services
from thrive.organisations.forms import (
    ContactForm,
    IdentifierForm,
    IncomeForm,
    OrganisationForm,
    ServiceForm,
    ThirdSectorTestForm,
)
from thrive.organisations.identifiers import ORG_ID_CREDIT
from thrive.organisations.models import (
    Contact,
    Identifier,
    Organisation,
    Service,
    TestAnswer,
)
from thrive.organisations.views.common import (
    load_organisation,
    merged_redirect,
    safe_next,
)


@policy.rule("organisations.organisation.view")
def detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's page: profile, the Third Sector test and the whole picture (§3.2)."""
    organisation = load_organisation(request, organisation_id, "organisations.organisation.view")
    moved = merged_redirect(organisation, "organisations:detail")
    if moved:
        return moved
    context = selectors.profile(organisation=organisation, user=request.user)
    context["may_edit"] = policy.can(request.user, "organisations.organisation.edit", organisation)
    context["org_id_credit"] = ORG_ID_CREDIT
    return render(request, "organisations/detail.html", context)


@policy.rule("organisations.organisation.edit")
def edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Keep the profile up to date."""
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    moved = merged_redirect(organisation, "organisations:edit")
    if moved:
        return moved

    def save(form: OrganisationForm) -> Organisation:
        return services.update_organisation(
            organisation=Organisation.objects.get(pk=organisation.pk),
            actor=request.user,
            changes=form.profile_changes(),
            areas=form.cleaned_data["areas"],
            beneficiary_groups=form.cleaned_data["beneficiary_groups"],
        )

    return handle_form(
        request,
        OrganisationForm(posted(request), instance=organisation),
        save=save,
        success_url=reverse("organisations:detail", args=[organisation.pk]),
        message="Profile updated.",
        template="organisations/edit.html",
        organisation=organisation,
    )


@policy.rule("organisations.organisation.edit")
def identifiers(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """List, add and remove the organisation's identifiers (changes are audited)."""
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    return handle_form(
        request,
        IdentifierForm(posted(request)),
        save=lambda form: services.add_identifier(
            organisation=organisation,
            scheme=form.cleaned_data["scheme"],
            value=form.cleaned_data["value"],
            actor=request.user,
        ),
        success_url=reverse("organisations:identifiers", args=[organisation.pk]),
        message=lambda identifier: f"Identifier {identifier.org_id} added.",
        template="organisations/identifiers.html",
        organisation=organisation,
        identifiers=organisation.identifiers.all(),
        org_id_credit=ORG_ID_CREDIT,
    )


@require_POST
@policy.rule("organisations.organisation.edit")
def remove_identifier(
    request: HttpRequest, organisation_id: int, identifier_id: int
) -> HttpResponse:
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    identifier = get_object_or_404(Identifier, pk=identifier_id, organisation=organisation)
    services.remove_identifier(identifier=identifier, actor=request.user)
    messages.success(request, f"Identifier {identifier.org_id} removed.")
    return redirect("organisations:identifiers", organisation.pk)


@policy.rule("organisations.organisation.edit")
def third_sector_test(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Answer the Third Sector test (§1.4) with evidence; the outcome is recorded.

    The eligibility checker links here with its answer and ``next``: the answers start from
    it, and saving goes back to the checker.
    """
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    initial = {name: getattr(organisation, name) for name in ThirdSectorTestForm.base_fields}
    if request.GET.get("answer") in TestAnswer.values:
        initial |= dict.fromkeys(ThirdSectorTestForm.QUESTIONS, request.GET["answer"])
    back = safe_next(request)
    return handle_form(
        request,
        ThirdSectorTestForm(posted(request), initial=initial),
        save=lambda form: services.record_third_sector_test(
            organisation=organisation,
            answers=form.answers(),
            evidence=form.evidence(),
            actor=request.user,
        ),
        success_url=back or reverse("organisations:detail", args=[organisation.pk]),
        message=lambda recorded: (
            f"Third Sector test recorded: {recorded.get_third_sector_outcome_display()}."
        ),
        template="organisations/third_sector_test.html",
        organisation=organisation,
        next=back,
    )


@policy.rule("organisations.organisation.edit")
def income(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Record a year's income; the size band follows the latest year."""
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    form = IncomeForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda form: services.record_income(
            organisation=organisation,
            year=form.cleaned_data["year"],
            amount_pence=form.cleaned_data["amount"],
            actor=request.user,
        ),
        success_url=reverse("organisations:income", args=[organisation.pk]),
        message=lambda _: f"Income for {form.cleaned_data['year']} recorded.",
        template="organisations/income.html",
        organisation=organisation,
        incomes=organisation.incomes.all(),
    )


@policy.rule("organisations.organisation.edit")
def services_offered(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The services the organisation offers and the outcomes each works towards."""
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    form = ServiceForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda form: services.add_service(
            organisation=organisation,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            outcomes=form.cleaned_data["outcomes"],
            actor=request.user,
        ),
        success_url=reverse("organisations:services", args=[organisation.pk]),
        message=lambda _: f"Service '{form.cleaned_data['name']}' added.",
        template="organisations/services.html",
        organisation=organisation,
        services=organisation.services.prefetch_related("outcomes"),
    )


@require_POST
@policy.rule("organisations.organisation.edit")
def remove_service(request: HttpRequest, organisation_id: int, service_id: int) -> HttpResponse:
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    service = get_object_or_404(Service, pk=service_id, organisation=organisation)
    services.remove_service(service=service, actor=request.user)
    messages.success(request, f"Service '{service.name}' removed.")
    return redirect("organisations:services", organisation.pk)


@policy.rule("organisations.organisation.edit")
def contacts(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Named contacts at the organisation."""
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    form = ContactForm(posted(request))
    return handle_form(
        request,
        form,
        save=lambda form: services.add_contact(
            organisation=organisation,
            actor=request.user,
            **dict(form.cleaned_data, email=form.cleaned_data["email"].lower()),
        ),
        success_url=reverse("organisations:contacts", args=[organisation.pk]),
        message=lambda _: f"Contact {form.cleaned_data['name']} added.",
        template="organisations/contacts.html",
        organisation=organisation,
        contacts=organisation.contacts.all(),
    )


@require_POST
@policy.rule("organisations.organisation.edit")
def remove_contact(request: HttpRequest, organisation_id: int, contact_id: int) -> HttpResponse:
    organisation = load_organisation(request, organisation_id, "organisations.organisation.edit")
    contact = get_object_or_404(Contact, pk=contact_id, organisation=organisation)
    services.remove_contact(contact=contact, actor=request.user)
    messages.success(request, f"Contact {contact.name} removed.")
    return redirect("organisations:contacts", organisation.pk)

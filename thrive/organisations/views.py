"""Organisation pages: the register, profiles, self-service, members, duplicates and import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thrive.accounts import services as account_services
from thrive.accounts.forms import InviteColleagueForm
from thrive.audit.services import log_action
from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.core.forms import add_service_errors
from thrive.organisations import duplicates, importing, selectors, services
from thrive.organisations.forms import (
    ContactForm,
    IdentifierForm,
    ImportForm,
    IncomeForm,
    JoinForm,
    MergeForm,
    NotDuplicateForm,
    OrganisationForm,
    RegisterFilterForm,
    RegisterOrganisationForm,
    ServiceForm,
    StaffAddOrganisationForm,
    ThirdSectorTestForm,
)
from thrive.organisations.identifiers import ORG_ID_CREDIT
from thrive.organisations.models import (
    Contact,
    DuplicateCandidate,
    Identifier,
    JoinRequest,
    Organisation,
    RecordSource,
    Service,
)

PAGE_SIZE = 25
BACKEND = "thrive.accounts.backends.EmailOrUsernameBackend"


def _load(request: HttpRequest, organisation_id: int, action: str) -> Organisation:
    organisation = selectors.get_organisation(pk=organisation_id)
    policy.require(request.user, action, organisation)
    return organisation


def _merged_redirect(organisation: Organisation, name: str) -> HttpResponse | None:
    if organisation.merged_into_id:
        return HttpResponseRedirect(reverse(name, args=[organisation.merged_into_id]))
    return None


@policy.rule("organisations.register.view")
def register_list(request: HttpRequest) -> HttpResponse:
    """The register: search, filters and pages, with links to export what is shown."""
    form = RegisterFilterForm(request.GET or None)
    filters = form.filters()
    organisations = selectors.organisations_for_user(user=request.user, filters=filters)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "export_formats": EXPORT_FORMATS,
            "filtered": bool(filters.as_query()),
        },
    )


EXPORT_HEADERS = [
    "id",
    "name",
    "other_names",
    "legal_form",
    "identifiers",
    "postcode",
    "town",
    "website",
    "email",
    "size_band",
    "latest_income_pounds",
    "latest_income_year",
    "third_sector_test",
    "funded_by_your_council",
    "source",
]


def _export_row(org: Organisation) -> list[Any]:
    return [
        org.pk,
        org.name,
        "; ".join(org.other_names_list),
        org.get_legal_form_display(),
        "; ".join(i.org_id for i in org.identifiers.all()),
        org.postcode,
        org.town,
        org.website,
        org.email,
        org.get_size_band_display(),
        org.latest_income_pence / 100 if org.latest_income_pence is not None else "",
        org.latest_income_year or "",
        org.get_third_sector_outcome_display(),
        "yes" if org.funded else "no",
        org.get_source_display(),
    ]


@policy.rule("organisations.register.view")
def export(request: HttpRequest) -> HttpResponse:
    """Export the filtered register as CSV, XLSX or ODS (the export is audited)."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    filters = RegisterFilterForm(request.GET).filters()
    organisations = selectors.organisations_for_user(user=request.user, filters=filters)
    rows = [_export_row(org) for org in organisations.iterator(chunk_size=2000)]
    log_action(
        action="organisations.register.exported",
        actor=request.user,
        after={"format": fmt, "filters": filters.as_query(), "rows": len(rows)},
    )
    return export_response(
        headers=EXPORT_HEADERS,
        rows=rows,
        fmt=fmt,
        filename="organisation-register",
        title="Register",
    )


@policy.rule("organisations.register.create")
def add(request: HttpRequest) -> HttpResponse:
    """Staff add an organisation to the register."""
    form = StaffAddOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.register_organisation(
                actor=request.user,
                source=RecordSource.STAFF,
                fields={
                    "name": data["name"],
                    "legal_form": data["legal_form"],
                    "postcode": data["postcode"],
                },
                org_ids=[data["org_id"]] if data["org_id"] else [],
            )
        except ValidationError as exc:
            _add_errors(form, exc, {"identifiers": "org_id"})
        else:
            messages.success(request, f"{organisation.name} added to the register.")
            return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/add.html", {"form": form})


def _add_errors(form: Any, exc: ValidationError, rename: dict[str, str]) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = rename.get(field, field)
            for message in errors:
                form.add_error(target if target in form.fields else None, message)
        return
    add_service_errors(form, exc)


@policy.rule("organisations.self_service")
def register(request: HttpRequest) -> HttpResponse:
    """A person registers their organisation, creating their account if they have none."""
    user = request.user if request.user.is_authenticated else None
    form = RegisterOrganisationForm(request.POST or None, with_account=user is None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation, user = _register_with_account(form, user)
        except ValidationError as exc:
            _add_errors(form, exc, {"identifiers": "charity_number", "value": "charity_number"})
        else:
            if not request.user.is_authenticated:
                auth_login(request, user, backend=BACKEND)
            messages.success(
                request,
                f"{organisation.name} is registered. Complete the profile so councils find you.",
            )
            return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/register.html", {"form": form})


def _register_with_account(form: RegisterOrganisationForm, user: Any) -> tuple[Organisation, Any]:
    from django.db import transaction

    data = form.cleaned_data
    with transaction.atomic():
        if user is None:
            user = services.create_provider_account(
                new=services.NewProvider(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password"],
                )
            )
        organisation = services.register_organisation(
            actor=user,
            source=RecordSource.SELF_REGISTERED,
            fields={
                "name": data["name"],
                "legal_form": data["legal_form"],
                "postcode": data["postcode"],
                "email": data["org_email"],
            },
            org_ids=form.org_ids(),
            make_actor_admin=True,
        )
    return organisation, user


@policy.rule("organisations.self_service")
def find(request: HttpRequest) -> HttpResponse:
    """Find an organisation that is already registered, to ask to join it."""
    text = request.GET.get("q", "").strip()[:200]
    results = selectors.find_for_joining(text=text)
    return render(
        request, "organisations/find.html", {"q": text, "results": results, "searched": bool(text)}
    )


@policy.rule("organisations.organisation.view")
def detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's page: profile, the Third Sector test and the whole picture (§3.2)."""
    organisation = _load(request, organisation_id, "organisations.organisation.view")
    moved = _merged_redirect(organisation, "organisations:detail")
    if moved:
        return moved
    context = selectors.profile(organisation=organisation, user=request.user)
    context["may_edit"] = policy.can(request.user, "organisations.organisation.edit", organisation)
    context["org_id_credit"] = ORG_ID_CREDIT
    return render(request, "organisations/detail.html", context)


@policy.rule("organisations.organisation.edit")
def edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Keep the profile up to date."""
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    moved = _merged_redirect(organisation, "organisations:edit")
    if moved:
        return moved
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fresh = Organisation.objects.get(pk=organisation.pk)
        try:
            services.update_organisation(
                organisation=fresh,
                actor=request.user,
                changes=form.profile_changes(),
                areas=form.cleaned_data["areas"],
                beneficiary_groups=form.cleaned_data["beneficiary_groups"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Profile updated.")
            return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@policy.rule("organisations.organisation.edit")
def identifiers(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """List, add and remove the organisation's identifiers (changes are audited)."""
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    form = IdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identifier = services.add_identifier(
                organisation=organisation,
                scheme=form.cleaned_data["scheme"],
                value=form.cleaned_data["value"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Identifier {identifier.org_id} added.")
            return redirect("organisations:identifiers", organisation.pk)
    return render(
        request,
        "organisations/identifiers.html",
        {
            "organisation": organisation,
            "form": form,
            "identifiers": organisation.identifiers.all(),
            "org_id_credit": ORG_ID_CREDIT,
        },
    )


@require_POST
@policy.rule("organisations.organisation.edit")
def remove_identifier(
    request: HttpRequest, organisation_id: int, identifier_id: int
) -> HttpResponse:
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    identifier = get_object_or_404(Identifier, pk=identifier_id, organisation=organisation)
    services.remove_identifier(identifier=identifier, actor=request.user)
    messages.success(request, f"Identifier {identifier.org_id} removed.")
    return redirect("organisations:identifiers", organisation.pk)


@policy.rule("organisations.organisation.edit")
def third_sector_test(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Answer the Third Sector test (§1.4) with evidence; the outcome is recorded."""
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    initial = {name: getattr(organisation, name) for name in ThirdSectorTestForm.base_fields}
    form = ThirdSectorTestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_third_sector_test(
                organisation=organisation,
                answers=form.answers(),
                evidence=form.evidence(),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Third Sector test recorded: {organisation.get_third_sector_outcome_display()}.",
            )
            return redirect("organisations:detail", organisation.pk)
    return render(
        request,
        "organisations/third_sector_test.html",
        {"form": form, "organisation": organisation},
    )


@policy.rule("organisations.organisation.edit")
def income(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Record a year's income; the size band follows the latest year."""
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    form = IncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_income(
                organisation=organisation,
                year=form.cleaned_data["year"],
                amount_pence=form.cleaned_data["amount"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Income for {form.cleaned_data['year']} recorded.")
            return redirect("organisations:income", organisation.pk)
    return render(
        request,
        "organisations/income.html",
        {"form": form, "organisation": organisation, "incomes": organisation.incomes.all()},
    )


@policy.rule("organisations.organisation.edit")
def services_offered(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The services the organisation offers and the outcomes each works towards."""
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_service(
                organisation=organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                outcomes=form.cleaned_data["outcomes"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Service '{form.cleaned_data['name']}' added.")
            return redirect("organisations:services", organisation.pk)
    offered = organisation.services.prefetch_related("outcomes")
    return render(
        request,
        "organisations/services.html",
        {"form": form, "organisation": organisation, "services": offered},
    )


@require_POST
@policy.rule("organisations.organisation.edit")
def remove_service(request: HttpRequest, organisation_id: int, service_id: int) -> HttpResponse:
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    service = get_object_or_404(Service, pk=service_id, organisation=organisation)
    services.remove_service(service=service, actor=request.user)
    messages.success(request, f"Service '{service.name}' removed.")
    return redirect("organisations:services", organisation.pk)


@policy.rule("organisations.organisation.edit")
def contacts(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Named contacts at the organisation."""
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data, email=form.cleaned_data["email"].lower())
            services.add_contact(organisation=organisation, actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Contact {form.cleaned_data['name']} added.")
            return redirect("organisations:contacts", organisation.pk)
    return render(
        request,
        "organisations/contacts.html",
        {"form": form, "organisation": organisation, "contacts": organisation.contacts.all()},
    )


@require_POST
@policy.rule("organisations.organisation.edit")
def remove_contact(request: HttpRequest, organisation_id: int, contact_id: int) -> HttpResponse:
    organisation = _load(request, organisation_id, "organisations.organisation.edit")
    contact = get_object_or_404(Contact, pk=contact_id, organisation=organisation)
    services.remove_contact(contact=contact, actor=request.user)
    messages.success(request, f"Contact {contact.name} removed.")
    return redirect("organisations:contacts", organisation.pk)


@policy.rule("organisations.self_service")
def join(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Ask to join an organisation already on the register; its admins approve."""
    organisation = selectors.get_organisation(pk=organisation_id)
    moved = _merged_redirect(organisation, "organisations:join")
    if moved:
        return moved
    user = request.user if request.user.is_authenticated else None
    if user is not None and policy.membership_of(user, organisation) is not None:
        messages.success(request, f"You are already a member of {organisation.name}.")
        return redirect("organisations:detail", organisation.pk)
    form = JoinForm(request.POST or None, with_account=user is None)
    if request.method == "POST" and form.is_valid():
        try:
            user = _join_with_account(form, organisation, user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.user.is_authenticated:
                auth_login(request, user, backend=BACKEND)
            messages.success(
                request,
                f"We have asked the admins of {organisation.name} to approve your request.",
            )
            return redirect("core:home")
    return render(request, "organisations/join.html", {"form": form, "organisation": organisation})


def _join_with_account(form: JoinForm, organisation: Organisation, user: Any) -> Any:
    from django.db import transaction

    data = form.cleaned_data
    with transaction.atomic():
        if user is None:
            user = services.create_provider_account(
                new=services.NewProvider(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password"],
                )
            )
        services.request_to_join(organisation=organisation, user=user, message=data["message"])
    return user


@policy.rule("organisation.members.view")
def members(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's members, pending invitations and requests to join."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "organisation.members.view", organisation)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            **selectors.members_and_invitations(organisation=organisation),
            "may_invite": policy.can(request.user, "organisation.members.invite", organisation),
            "may_decide": policy.can(request.user, "organisations.join.decide", organisation),
        },
    )


@require_POST
@policy.rule("organisations.join.decide")
def decide_join(request: HttpRequest, organisation_id: int, request_id: int) -> HttpResponse:
    """An organisation admin approves or declines a request to join."""
    organisation = _load(request, organisation_id, "organisations.join.decide")
    join_request = get_object_or_404(JoinRequest, pk=request_id, organisation=organisation)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_join_request(join_request=join_request, approve=approve, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        verb = "approved" if approve else "declined"
        messages.success(request, f"Request from {join_request.user} {verb}.")
    return redirect("organisations:members", organisation.pk)


@policy.rule("organisation.members.invite")
def invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation admin invites a colleague by email."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    policy.require(request.user, "organisation.members.invite", organisation)
    form = InviteColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.invite_colleague(
                organisation=organisation,
                email=form.cleaned_data["email"],
                as_admin=form.cleaned_data["as_admin"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("organisations:members", organisation_id=organisation.pk)
    return render(
        request, "organisations/invite.html", {"organisation": organisation, "form": form}
    )


@policy.rule("organisations.duplicates.review")
def duplicate_queue(request: HttpRequest) -> HttpResponse:
    """Possible duplicates waiting for review, most similar first."""
    page = Paginator(selectors.duplicate_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/duplicates.html", {"page": page, "query": ""})


@policy.rule("organisations.duplicates.review")
def duplicate_review(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """Compare a pair; merge them or record that they are different organisations."""
    candidate = get_object_or_404(
        DuplicateCandidate.objects.select_related("first", "second"), pk=candidate_id
    )
    merge_form = MergeForm(
        request.POST if request.POST.get("action") == "merge" else None, candidate=candidate
    )
    dismiss_form = NotDuplicateForm(
        request.POST if request.POST.get("action") == "not_duplicate" else None
    )
    if request.method == "POST":
        done = _decide_pair(request, candidate, merge_form, dismiss_form)
        if done:
            return done
    form = dismiss_form if dismiss_form.errors else merge_form
    return render(
        request,
        "organisations/duplicate_review.html",
        {
            "candidate": candidate,
            "form": form,
            "merge_form": merge_form,
            "dismiss_form": dismiss_form,
            "pair": [
                selectors.profile(organisation=candidate.first, user=request.user),
                selectors.profile(organisation=candidate.second, user=request.user),
            ],
        },
    )


def _decide_pair(
    request: HttpRequest, candidate: DuplicateCandidate, merge_form: Any, dismiss_form: Any
) -> HttpResponse | None:
    try:
        if merge_form.is_bound and merge_form.is_valid():
            survivor_id = merge_form.cleaned_data["survivor"]
            survivor, merged = (
                (candidate.first, candidate.second)
                if survivor_id == candidate.first_id
                else (candidate.second, candidate.first)
            )
            duplicates.merge_organisations(
                survivor=survivor,
                merged=merged,
                actor=request.user,
                reason=merge_form.cleaned_data["reason"],
                candidate=candidate,
            )
            messages.success(request, f"{merged.name} merged into {survivor.name}.")
            return redirect("organisations:duplicates")
        if dismiss_form.is_bound and dismiss_form.is_valid():
            duplicates.mark_not_duplicate(
                candidate=candidate,
                actor=request.user,
                reason=dismiss_form.cleaned_data["not_duplicate_reason"],
            )
            messages.success(
                request, "Recorded as not a duplicate. This pair will not be raised again."
            )
            return redirect("organisations:duplicates")
    except ValidationError as exc:
        add_service_errors(merge_form if merge_form.is_bound else dismiss_form, exc)
    return None


@policy.rule("organisations.register.import")
def import_file(request: HttpRequest) -> HttpResponse:
    """Staff import organisations from a CSV or XLSX file: all rows or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importing.import_organisations(
            content=upload.read(),
            filename=upload.name,
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not result.dry_run:
            messages.success(request, result.summary())
            return redirect("organisations:list")
    return render(
        request,
        "organisations/import.html",
        {
            "form": form,
            "result": result,
            "columns": importing.COLUMNS,
            "page_has_errors": bool(result and result.errors),
        },
    )

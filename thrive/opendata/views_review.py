"""Recipients held for review: an imported grant's identifier is known, its name is not.

Staff who look after the register's duplicates decide: the same organisation (attach the
grants to the register's record) or a different one (add it to the register, then attach).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.opendata import review
from thrive.opendata.models import ExternalGrant, RecipientStatus
from thrive.organisations.identifiers import canonical_org_id
from thrive.organisations.models import Identifier, Organisation

REVIEW = "organisations.duplicates.review"
PER_PAGE = 50


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is this the organisation in the register?",
        choices=[
            ("same", "Same organisation: attach the grants to the register's record"),
            ("different", "A different organisation: add it to the register, then attach"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is the same organisation"},
    )


def _held() -> Any:
    return ExternalGrant.objects.filter(
        recipient_status=RecipientStatus.HELD, recipient__isnull=True
    )


def _canonical(org_id: str) -> str:
    try:
        return canonical_org_id(org_id)[2]
    except ValidationError:
        return org_id


def _register_names(org_ids: set[str]) -> dict[str, Any]:
    """Published identifier -> the register's organisation holding it, in two queries."""
    canonical = {org_id: _canonical(org_id) for org_id in org_ids}
    by_id = {
        i.org_id: i.organisation
        for i in Identifier.objects.filter(org_id__in=set(canonical.values())).select_related(
            "organisation"
        )
    }
    found = {org_id: by_id[c] for org_id, c in canonical.items() if c in by_id}
    missing = org_ids - set(found)
    if missing:
        for grant in (
            ExternalGrant.objects.filter(recipient_org_id__in=missing, recipient__isnull=False)
            .select_related("recipient")
            .order_by("pk")
        ):
            found.setdefault(grant.recipient_org_id, grant.recipient)
    return found


@policy.rule(REVIEW)
def held_recipients(request: HttpRequest) -> HttpResponse:
    """Each recipient held for review (one identifier and published name), oldest first."""
    groups = (
        _held()
        .values("recipient_org_id", "recipient_name")
        .annotate(first=Min("pk"), grants=Count("pk"), total=Sum("amount_awarded"))
        .order_by("first")
    )
    page = Paginator(groups, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page)
    org_ids = {row["recipient_org_id"] for row in rows}
    register = _register_names(org_ids)
    files: dict[tuple[str, str], list[str]] = {}
    for org_id, name, source in (
        _held()
        .filter(recipient_org_id__in=org_ids)
        .values_list("recipient_org_id", "recipient_name", "import_run__source_name")
        .distinct()
        .order_by("import_run__source_name")
    ):
        files.setdefault((org_id, name), []).append(source)
    for row in rows:
        row["register"] = register.get(row["recipient_org_id"])
        row["files"] = files.get((row["recipient_org_id"], row["recipient_name"]), [])
    return render(request, "opendata/held_list.html", {"page": page, "rows": rows})


@policy.rule(REVIEW)
def held_recipient(request: HttpRequest, pk: int) -> HttpResponse:
    """One held recipient: both names, the identifier, its grants; decide what it is."""
    grant = get_object_or_404(_held().select_related("import_run"), pk=pk)
    form = DecisionForm(posted(request))

    def decide(form: DecisionForm) -> Organisation:
        if form.cleaned_data["decision"] == "same":
            return review.confirm_same(grant=grant, actor=request.user)
        return review.add_different(grant=grant, actor=request.user)

    def said(organisation: Organisation) -> str:
        if form.cleaned_data["decision"] == "same":
            return f"The grants are now {organisation.name}'s."
        return f"{organisation.name} was added to the register with its grants."

    return handle_form(
        request,
        form,
        save=decide,
        success_url=reverse("opendata:held_recipients"),
        message=said,
        template="opendata/held_review.html",
        grant=grant,
        register=review.register_record(grant.recipient_org_id),
        # a query run only when the page is shown
        grants=review.held_grants(grant).select_related("import_run").order_by("award_date", "pk"),
    )

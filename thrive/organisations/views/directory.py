"""The public provider directory (§1.6): organisations that opted in, as they chose."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from thrive.core import policy
from thrive.organisations import selectors
from thrive.organisations.forms import DirectoryFilterForm
from thrive.organisations.models import Organisation, Service

PAGE_SIZE = 25


@policy.rule(policy.PUBLIC)
def directory_list(request: HttpRequest) -> HttpResponse:
    """Search the organisations listed in the directory by name, area, group or outcome."""
    form = DirectoryFilterForm(request.GET or None)
    organisations = selectors.directory(filters=form.filters())
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/directory_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@policy.rule(policy.PUBLIC)
def directory_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """One listed organisation: its services, areas and the contact details it publishes."""
    organisation = (
        Organisation.objects.in_directory()
        .prefetch_related(
            "areas",
            "beneficiary_groups",
            Prefetch("services", queryset=Service.objects.prefetch_related("outcomes")),
        )
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise Http404("This organisation is not listed in the directory")
    return render(request, "organisations/directory_detail.html", {"organisation": organisation})

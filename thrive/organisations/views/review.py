"""The duplicates review queue: merge a pair or set it aside."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from thrive.core import policy
from thrive.core.forms import add_service_errors
from thrive.organisations import duplicates, selectors
from thrive.organisations.forms import (
    MergeForm,
    NotDuplicateForm,
)
from thrive.organisations.models import DuplicateCandidate
from thrive.organisations.views.common import PAGE_SIZE


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
            "pair": selectors.comparison(
                organisations=[candidate.first, candidate.second], user=request.user
            ),
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

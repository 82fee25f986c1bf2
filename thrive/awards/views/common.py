"""What the awards pages share: the award a page is about, checked against the policy,
and where its staff page is."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property

from thrive.awards import selectors
from thrive.awards.models import Award, AwardStatus
from thrive.core import branding, policy


def award_for(request: HttpRequest, reference: str, action: str) -> Award:
    """The award with ``reference``, once the user may do ``action`` to it."""
    award = selectors.award_for_page(reference)
    policy.require(request.user, action, award)
    branding.page_council(request, award.council)
    return award


def detail_url(award: Award) -> str:
    return reverse("awards:detail", kwargs={"reference": award.reference})


def caption(award: Award) -> str:
    """The caption over an award's form pages: its reference and organisation."""
    return f"{award.reference} · {award.organisation.name}"


def draft_for_edit(request: HttpRequest, reference: str) -> Award | HttpResponse:
    """The draft award to edit, or a redirect to its page saying why it cannot be."""
    award = award_for(request, reference, "awards.edit")
    if award.status != AwardStatus.DRAFT:
        messages.error(request, "The terms can only be changed while the award is a draft")
        return redirect(detail_url(award))
    return award


class CappedPaginator(Paginator):
    """Pages of a long list, counted only up to ``cap`` rows: a register of a million awards
    is not counted in full for every page. ``capped`` says there are more than ``cap``; the
    pages then stop at the cap (a search or filter narrows the list)."""

    cap = 10_000
    # A search word matches across titles, organisations and references, so finding ten
    # thousand matches means reading most of a million awards; a search counts to fewer.
    search_cap = 1_000

    def __init__(self, *args, searched: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if searched:
            self.cap = self.search_cap

    @cached_property
    def counted(self) -> int:
        return self.object_list.values("pk").order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.counted > self.cap

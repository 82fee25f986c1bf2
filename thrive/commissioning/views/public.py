"""Published intentions: the public page, one intention, and the Atom feed (§2.4)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from thrive.commissioning import selectors
from thrive.commissioning.models import DecommissioningNotice, Direction, Intention
from thrive.commissioning.services import notices as notice_services
from thrive.core import branding, policy


@policy.rule(policy.PUBLIC)
def public_list(request: HttpRequest) -> HttpResponse:
    """Where new services are sought and where services will no longer be prioritised."""
    intentions = list(selectors.public_intentions()[:200])
    stopping = [
        i
        for i in intentions
        if i.direction == Direction.DECOMMISSIONING or i.stopped_outcomes.all()
    ]
    sought = [i for i in intentions if i not in stopping]
    return render(
        request,
        "commissioning/public_list.html",
        {"sought": sought, "stopping": stopping},
    )


@policy.rule(policy.PUBLIC)
def public_detail(request: HttpRequest, reference: str) -> HttpResponse:
    intention = selectors.get_public_intention(reference=reference)
    branding.page_council(request, intention.council)
    return render(request, "commissioning/public_detail.html", {"intention": intention})


class IntentionsFeed(Feed):
    """Atom feed of published commissioning intentions."""

    feed_type = Atom1Feed
    title = "Commissioning intentions"
    subtitle = "Where councils seek new services and where services will no longer be prioritised."

    def link(self) -> str:
        return reverse("commissioning:public_intentions")

    def items(self) -> Any:
        return selectors.public_intentions()[:50]

    def item_title(self, item: Intention) -> str:
        prefix = "No longer prioritised: " if item.direction == Direction.DECOMMISSIONING else ""
        return f"{prefix}{item.title} ({item.council.name})"

    def item_description(self, item: Intention) -> str:
        return f"{item.get_direction_display()}. {item.summary}"

    def item_link(self, item: Intention) -> str:
        return reverse("commissioning:public_intention", args=[item.reference])

    def item_pubdate(self, item: Intention) -> Any:
        return item.published_at

    def item_updateddate(self, item: Intention) -> Any:
        return item.updated_at

    def item_author_name(self, item: Intention) -> str:
        return item.council.name

    def item_categories(self, item: Intention) -> list[str]:
        return [o.title for o in item.outcomes.all()]


intentions_feed = policy.rule(policy.PUBLIC)(IntentionsFeed())


@policy.rule("commissioning.notices.view")
def notice_list(request: HttpRequest) -> HttpResponse:
    """A provider's decommissioning notices."""
    return render(
        request,
        "commissioning/notices_provider.html",
        {"notices": selectors.notices_for_user(user=request.user)},
    )


@policy.rule("commissioning.notices.view")
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    """One notice; opening it records that it was read."""
    notice = get_object_or_404(
        DecommissioningNotice.objects.select_related("organisation", "award", "intention__council"),
        pk=notice_id,
    )
    policy.require(request.user, "commissioning.notices.view", notice)
    branding.page_council(request, notice.intention.council)
    notice_services.mark_read(notice=notice, user=request.user)
    return render(request, "commissioning/notice.html", {"notice": notice})

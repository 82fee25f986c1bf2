"""Advertising: an Atom feed of open opportunities and an iCalendar of their deadlines (§4.1)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from thrive.core import policy
from thrive.opportunities import selectors
from thrive.opportunities.models import Opportunity


class OpportunityFeed(Feed):
    feed_type = Atom1Feed
    title = "Open funding and contract opportunities"
    subtitle = "Small grants, grant rounds, requests for quotations and tenders"

    def link(self) -> str:
        return reverse("opportunities:list")

    def items(self) -> list[Opportunity]:
        return list(selectors.public_opportunities()[:100])

    def item_title(self, item: Opportunity) -> str:
        return f"{item.title} ({item.council.name})"

    def item_description(self, item: Opportunity) -> str:
        text = f"{item.get_kind_display()}. {item.summary} Closes: {item.closes_display}."
        for amendment in item.amendments.all():
            text += (
                f" Amendment {amendment.number} "
                f"({timezone.localtime(amendment.made_at):%d/%m/%Y}): "
                f"{amendment.summary}. Reason: {amendment.reason}"
            )
        return text

    def item_link(self, item: Opportunity) -> str:
        return reverse("opportunities:detail", kwargs={"opportunity_id": item.pk})

    def item_pubdate(self, item: Opportunity) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Opportunity) -> datetime | None:
        return item.updated_at

    def item_guid(self, item: Opportunity) -> str:
        return f"{settings.THRIVE_SITE_URL}/opportunities/{item.reference}"

    def item_categories(self, item: Opportunity) -> list[str]:
        return [item.get_kind_display(), *(o.title for o in item.outcomes.all())]


def _escape(text: str) -> str:
    """RFC 5545 §3.3.11: escape backslash, semicolon, comma and newlines in TEXT."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(uid: str, moment: datetime, summary: str, description: str, url: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(moment)}",
        f"DTEND:{_utc(moment)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
    ]


def deadlines_calendar(opportunities: list[Opportunity]) -> str:
    """An iCalendar (RFC 5545) with each closing time and question deadline as an event."""
    host = settings.THRIVE_SITE_URL.split("//", 1)[-1]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{settings.THRIVE_SERVICE_NAME}//Opportunity deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(settings.THRIVE_SERVICE_NAME + ' opportunity deadlines')}",
    ]
    for item in opportunities:
        url = settings.THRIVE_SITE_URL + reverse(
            "opportunities:detail", kwargs={"opportunity_id": item.pk}
        )
        if item.closes_at:
            lines += _event(
                f"closes-{item.reference}@{host}",
                item.closes_at,
                f"Closes: {item.title}",
                f"{item.reference}, {item.council.name}. {item.summary}",
                url,
            )
        if item.clarification_deadline:
            lines += _event(
                f"questions-{item.reference}@{host}",
                item.clarification_deadline,
                f"Last day for questions: {item.title}",
                f"{item.reference}, {item.council.name}. Questions close at this time.",
                url,
            )
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


@policy.rule(policy.PUBLIC)
def deadlines_ics(request: HttpRequest) -> HttpResponse:
    """The iCalendar of coming deadlines, for any calendar program."""
    text = deadlines_calendar(list(selectors.coming_deadlines()[:500]))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="opportunity-deadlines.ics"'
    return response


feed = policy.rule(policy.PUBLIC)(OpportunityFeed())

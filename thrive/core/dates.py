"""Dates and times as people in Britain read them: deadlines are exact instants judged in
Europe/London."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def format_deadline(moment: datetime | None) -> str:
    """An instant as people in Britain read it: '5:00pm on Friday 4 December 2026'."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        clock = "midday"
    elif local.hour == 0 and local.minute == 0:
        clock = "midnight"
    else:
        clock = f"{hour}:{local.minute:02d}{suffix}"
        if local.second:
            clock = f"{hour}:{local.minute:02d}:{local.second:02d}{suffix}"
    return f"{clock} on {local:%A} {local.day} {local:%B %Y} (UK time)"

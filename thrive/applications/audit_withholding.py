"""Which audit entries are about a still sealed bid (registered with the audit log).

An entry is about an application when the application is its object (started, uploaded,
submitted, withdrawn, reopened) or when it records a download from one of the
application's own addresses (its attachments). Whether the bid is still sealed is the one
sealing rule, ``Application.objects.unsealed()``; nothing here decides it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import Resolver404, resolve

from thrive.applications.models import Application

APPLICATION = Application._meta.label_lower
DOWNLOADED = "core.file.downloaded"
LABEL = "A sealed bid"


def _sealed(candidates: QuerySet[Application]) -> QuerySet[Application]:
    return candidates.exclude(pk__in=candidates.unsealed().values("pk"))


def hidden_entries() -> Q:
    """Entries whose object is an application that staff may not read now (a subquery)."""
    keys = _sealed(Application.objects.all()).annotate(key=Cast("pk", CharField()))
    return Q(object_type=APPLICATION, object_id__in=keys.values("key"))


def _application_of(event: Any) -> int | None:
    if event.object_type == APPLICATION and event.object_id.isdigit():
        return int(event.object_id)
    if event.action != DOWNLOADED or not isinstance(event.after, dict):
        return None
    try:
        match = resolve(str(event.after.get("path", "")))
    except Resolver404:
        return None
    if match.namespace != "applications" or "application_id" not in match.kwargs:
        return None
    return int(match.kwargs["application_id"])


def sealed_entries(events: Sequence[Any]) -> dict[int, str]:
    """The events about bids still sealed now, to be shown without names (one query)."""
    about = {event.pk: _application_of(event) for event in events}
    ids = {pk for pk in about.values() if pk is not None}
    if not ids:
        return {}
    sealed = set(_sealed(Application.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    return {event: LABEL for event, application in about.items() if application in sealed}

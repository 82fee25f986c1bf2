"""Entries whose names the audit log withholds while a sealed bid is sealed (DESIGN §4).

The log records everything a bidder does (starting, saving, uploading, submitting,
withdrawing with a reason, downloading its own files) and never changes a stored entry.
Until the bids are opened, whoever reads the log (the audit page, its export, the admin
site) sees such an entry without the bidder: no person, no organisation, no reason and no
before or after values, only the action, the time and which opportunity it concerns.
From the opening the entry shows in full. The stored rows and their hash chain are never
touched, so ``thrive audit verify`` checks exactly what was written.

The audit app sits below the apps whose records may be sealed, so it asks them: an app
registers a finder from its ``AppConfig.ready()``. A finder takes a batch of events and
returns, for each event it withholds, the label to show in place of the object; it must
answer a batch with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from thrive.audit.models import AuditEvent

Finder = Callable[[Sequence[AuditEvent]], dict[int, str]]
WITHHELD_LABEL = "Withheld until the bids are opened"

_finders: list[Finder] = []


def register(finder: Finder) -> Finder:
    """Ask ``finder`` about every batch of events shown to a reader (idempotent)."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


def withheld(events: Sequence[AuditEvent]) -> dict[int, str]:
    """The events (by id) whose names are withheld now, each with the label to show."""
    labels: dict[int, str] = {}
    for finder in _finders:
        labels.update(finder(events))
    return labels


def as_shown(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events as a reader may see them now: withheld ones masked in memory, never saved."""
    shown = list(events)
    labels = withheld(shown)
    for event in shown:
        event.withheld = event.pk in labels
        if event.withheld:
            _mask(event, labels[event.pk])
    return shown


def _mask(event: AuditEvent, label: str) -> None:
    event.actor = None
    event.actor_label = WITHHELD_LABEL
    event.object_id = ""
    event.object_repr = label
    event.before = None
    event.after = None
    event.reason = WITHHELD_LABEL if event.reason else ""
    event.request_id = ""

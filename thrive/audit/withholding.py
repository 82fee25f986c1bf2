"""What the audit log keeps back while a sealed bid is sealed (DESIGN §4).

The log records everything a bidder does (starting, saving, uploading, submitting,
withdrawing with a reason, downloading its own files) and never changes a stored entry.
Until the bids are opened, whoever reads the log (the audit page, its export, the admin
site) is told nothing of a sealed bid:

- entries whose object is a sealed bid are left out of every list, so neither the bidder
  nor the number of bids can be read from the log before the opening;
- any other entry about a sealed bid (a bidder downloading its own file) is shown without
  the bidder: no person, no object, no reason and no before or after values.

From the opening every entry shows in full, in its place. The stored rows and their hash
chain are never touched, so ``thrive audit verify`` checks exactly what was written.

The audit app sits below the apps whose records may be sealed, so it asks them: an app
registers, from its ``AppConfig.ready()``, a hider (a ``Q`` matching the entries to leave
out now) and a finder (given a batch of events, the ids of those to show masked, each with
the label to show); each answers with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db.models import Q, QuerySet

from thrive.audit.models import AuditEvent

Finder = Callable[[Sequence[AuditEvent]], dict[int, str]]
Hider = Callable[[], Q]
WITHHELD_LABEL = "Withheld until the bids are opened"

_finders: list[Finder] = []
_hiders: list[Hider] = []


def register(*, hider: Hider | None = None, finder: Finder | None = None) -> None:
    """Leave out what ``hider`` matches and mask what ``finder`` names (idempotent)."""
    if hider is not None and hider not in _hiders:
        _hiders.append(hider)
    if finder is not None and finder not in _finders:
        _finders.append(finder)


def visible(events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """The events without those every reader is kept from now (one subquery each)."""
    for hider in _hiders:
        events = events.exclude(hider())
    return events


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

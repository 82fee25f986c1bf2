"""Signals other apps listen to.

Both are sent inside the awards service's transaction, so a receiver that fails rolls the
change back with it.

``award_activated`` is sent whenever an award becomes ACTIVE: when the provider accepts the
offer, or at once for a small grant. Keyword arguments: ``award`` and ``actor``. Monitoring
creates its plan from it.

``award_varied`` is sent when an approved variation has changed an active award's value or
end date or terminated it. Keyword arguments: ``award``, ``actor`` and ``kind`` (the
variation's kind). Monitoring lays out its plan again from it.
"""

from __future__ import annotations

from django.dispatch import Signal

award_activated = Signal()
award_varied = Signal()

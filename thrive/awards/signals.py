"""Signals other apps listen to.

``award_activated`` is sent, once the transaction commits, whenever an award becomes
ACTIVE: when the provider accepts the offer, or at once for a small grant. Keyword
arguments: ``award`` and ``actor``. Monitoring creates its plan from it.
"""

from __future__ import annotations

from django.dispatch import Signal

award_activated = Signal()

"""Reads of the audit log, scoped by the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from thrive.audit.models import AuditEvent
from thrive.core import policy


def events_for_user(*, user: Any, action: str = "", object_type: str = "") -> QuerySet[AuditEvent]:
    """The audit events this user may read: all for system admins, else their council's."""
    events = AuditEvent.objects.select_related("council", "actor").order_by("-sequence")
    if not policy.is_system_admin(user):
        events = events.filter(council_id=user.council_id)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    return events

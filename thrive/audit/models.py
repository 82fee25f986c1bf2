"""The append-only, hash-chained audit log (§1.5 accountability).

Events are kept in a few parallel hash chains, so that writers in different transactions
never wait for one another: each transaction appends to a chain no other open transaction
holds (see ``services.py`` and docs/security.md). ``sequence`` numbers every event across
the chains in the order they were written; ``chain`` and ``position`` place it in its chain.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Audit events are never changed or removed."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One recorded decision or change: who, when, what, before/after, why."""

    sequence = models.BigIntegerField(unique=True, editable=False)
    chain = models.PositiveIntegerField(default=1, editable=False)
    position = models.BigIntegerField(editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(max_length=200, blank=True, editable=False)
    council = models.ForeignKey(
        "accounts.Council",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    action = models.CharField(max_length=100, db_index=True, editable=False)
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    object_repr = models.CharField(max_length=255, blank=True, editable=False)
    before = models.JSONField(null=True, blank=True, editable=False)
    after = models.JSONField(null=True, blank=True, editable=False)
    reason = models.TextField(blank=True, editable=False)
    request_id = models.CharField(max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="audit_event_chain_position")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditChainHead(models.Model):
    """One chain's last position and hash: locked while appending, checked when verifying."""

    id = models.SmallAutoField(primary_key=True)
    position = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain {self.pk} at {self.position}"

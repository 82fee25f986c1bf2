"""The register of Third Sector organisations (DESIGN §5)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Organisation(models.Model):
    """A Third Sector organisation; registered once, it can apply to any council here."""

    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

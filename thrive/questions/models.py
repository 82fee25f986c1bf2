"""Application forms as versioned data (§4.1): standard form templates and their versions.

A form version is immutable once anything has been filled against it, and everything filled
stays pinned to the version it was filled against, so editing a live form never breaks or
drops answers. The tables kept the names they had when these models lived in applications.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from thrive.questions.extensions import version_uses


class FormKind(models.TextChoices):
    SMALL_GRANT = "small_grant", "Small grant (short form)"
    FUNDING_AGREEMENT = "funding_agreement", "Funding agreement"
    QUOTATION = "quotation", "Quotation"
    TENDER = "tender", "Tender"


class FormTemplate(models.Model):
    """A standard application form (§4.1), proportionate to the value of the funding."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=FormKind.choices)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "applications_formtemplate"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> FormTemplateVersion | None:
        return self.versions.order_by("-number").first()


class FormTemplateVersion(models.Model):
    """One immutable set of sections and questions (JSON); new edits make a new version."""

    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    sections = models.JSONField(default=list)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "applications_formtemplateversion"
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="form_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template.name}, version {self.number}"

    def audit_label(self) -> str:
        return f"Form version #{self.pk}"

    @property
    def is_used(self) -> bool:
        """Whether anything has been filled against this version (it can then never change)."""
        return self.pk is not None and any(uses(self) for uses in version_uses)

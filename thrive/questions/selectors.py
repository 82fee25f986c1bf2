"""Reads about application forms."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from thrive.questions.models import FormTemplate, FormTemplateVersion


def form_templates() -> QuerySet[FormTemplate]:
    """Every form template with its versions, by name."""
    return FormTemplate.objects.prefetch_related("versions").order_by("name")


def active_form_templates() -> QuerySet[FormTemplate]:
    """The forms a new opportunity may use."""
    return FormTemplate.objects.filter(is_active=True)


def get_form_version(*, pk: int) -> FormTemplateVersion:
    """One version with its template, or 404."""
    return get_object_or_404(FormTemplateVersion.objects.select_related("template"), pk=pk)

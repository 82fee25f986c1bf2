"""Form templates and their immutable versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from thrive.audit.services import log_action
from thrive.questions import types
from thrive.questions.models import FormTemplate, FormTemplateVersion

if TYPE_CHECKING:
    from thrive.accounts.models import User

Sections = list[dict[str, Any]]


def add_form_version(
    *, template: FormTemplate, sections: Sections, actor: User, note: str = ""
) -> FormTemplateVersion:
    """Add a new version; existing versions, and the applications pinned to them, never change."""
    problems = types.check_definition(sections)
    if problems:
        raise ValidationError({"sections": problems})
    with transaction.atomic():
        number = (template.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = FormTemplateVersion.objects.create(
            template=template, number=number, sections=sections, note=note, created_by=actor
        )
        log_action(
            action="applications.form_version.added",
            actor=actor,
            obj=version,
            after={"template": template.code, "number": number},
            reason=note,
        )
    return version


def change_form_version(
    *, version: FormTemplateVersion, sections: Sections, actor: User
) -> FormTemplateVersion:
    """Correct a version nobody has filled yet; a used version is refused (make a new one)."""
    if version.is_used:
        raise ValidationError(
            "This version has applications filled against it and cannot change. "
            "Add a new version instead."
        )
    problems = types.check_definition(sections)
    if problems:
        raise ValidationError({"sections": problems})
    with transaction.atomic():
        before = version.sections
        version.sections = sections
        version.save(update_fields=["sections"])
        log_action(
            action="applications.form_version.changed",
            actor=actor,
            obj=version,
            before={"sections": before},
            after={"sections": sections},
        )
    return version

"""Admin for the standard forms: a version that has been filled against can no longer change."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from thrive.questions.models import FormTemplate, FormTemplateVersion


class FormTemplateVersionInline(admin.TabularInline):
    model = FormTemplateVersion
    fields = ["number", "note", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    inlines = [FormTemplateVersionInline]


@admin.register(FormTemplateVersion)
class FormTemplateVersionAdmin(admin.ModelAdmin):
    """Versions are added here; one that has been filled against can no longer change."""

    list_display = ["template", "number", "note", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.is_used:
            return ["template", "number", "sections", "note", "created_by", "created_at"]
        return []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from thrive.questions import types  # lazy: start-up (the form fields load django.forms)

        problems = types.check_definition(obj.sections)
        if problems:
            raise ValidationError(problems)
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_used

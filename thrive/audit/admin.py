from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thrive.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["sequence", "occurred_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "object_repr", "actor_label", "request_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

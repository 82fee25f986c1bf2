from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from thrive.audit import withholding
from thrive.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log, read-only; what is kept back while a bid is sealed, as on the audit page.

    No search by who acted: a search for a bidder would otherwise find the entries whose
    names are withheld, and so name the bidder after all.
    """

    list_display = [
        "sequence",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "chain",
        "position",
    ]
    list_filter = ["action"]
    search_fields = ["action", "object_repr", "request_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return withholding.visible(super().get_queryset(request))

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        changelist.result_list = withholding.as_shown(changelist.result_list)
        return changelist

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        event = super().get_object(request, object_id, from_field)
        return withholding.as_shown([event])[0] if event is not None else None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

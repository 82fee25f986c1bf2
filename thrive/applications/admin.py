"""Admin for the Small Grants Scheme's settings; applications read-only and never sealed.

Applications and submissions are listed through ``unsealed()``, so a sealed bid cannot be read
in the admin either until the deadline has passed and its opening is recorded.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from thrive.applications.models import (
    Application,
    Attachment,
    BidOpening,
    SmallGrantPurpose,
    SmallGrantsSettings,
    Submission,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "opportunity", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["reference", "organisation__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).unsealed().exclude(status="draft")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "submitted_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Submission]:
        readable = Application.objects.unsealed().values("pk")
        return super().get_queryset(request).filter(application__in=readable)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attachment]:
        readable = Application.objects.unsealed().exclude(status="draft").values("pk")
        return super().get_queryset(request).filter(application__in=readable)


@admin.register(BidOpening)
class BidOpeningAdmin(ReadOnlyAdmin):
    list_display = ["opportunity", "opened_by", "opened_at", "bids_opened"]


@admin.register(SmallGrantsSettings)
class SmallGrantsSettingsAdmin(admin.ModelAdmin):
    list_display = ["council", "limit_pence", "delegated_limit_pence", "max_income_pence"]


@admin.register(SmallGrantPurpose)
class SmallGrantPurposeAdmin(admin.ModelAdmin):
    list_display = ["label", "council", "order", "is_active"]
    list_filter = ["council", "is_active"]

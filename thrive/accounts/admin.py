"""The admin site, for system administrators: every role change goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive.accounts.models import ApiToken, Council, Invitation, Membership, RoleAssignment, User


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "org_id"]
    prepopulated_fields = {"slug": ["name"]}
    # a website typed without its scheme is kept as https, as the council's own form keeps it
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Council, form: Any, change: bool) -> None:
        from thrive.accounts import services  # lazy: start-up (admin loads)

        services.save_council(council=obj, actor=request.user)


@admin.register(User)
class ThriveUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "council", "is_active"]
    list_filter = ["council", "is_active", "is_superuser"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Council", {"fields": ("council", "anonymised_at")}),
    )
    readonly_fields = ["anonymised_at", "is_superuser", "is_staff", "user_permissions", "groups"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "council", "directorate", "granted_at", "granted_by"]
    list_filter = ["role", "council"]
    fields = ["user", "role", "directorate"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        from thrive.accounts import services  # lazy: start-up (admin loads)

        saved = services.grant_role(
            user=obj.user, role=obj.role, granted_by=request.user, directorate=obj.directorate
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        from thrive.accounts import services  # lazy: start-up (admin loads)

        services.revoke_role(
            user=obj.user, role=obj.role, revoked_by=request.user, reason="Removed in admin"
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for assignment in queryset.select_related("user"):
            self.delete_model(request, assignment)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "is_admin", "joined_at"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    raw_id_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "status", "created_at", "expires_at"]
    readonly_fields = ["accepted_at", "accepted_by"]
    raw_id_fields = ["organisation", "invited_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# Two-factor devices hold shared secrets and are changed only through the audited pages
# (set up, turn off, reset by an administrator, ``thrive user reset-two-factor``), never here.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)

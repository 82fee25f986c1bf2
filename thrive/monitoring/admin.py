from typing import Any

from django.contrib import admin

from thrive.monitoring.models import LeadFunder, MonitoringPlan, MonitoringSettings, MonitoringTier


@admin.register(MonitoringTier)
class MonitoringTierAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "order", "schedule", "return_size", "active"]
    list_filter = ["council", "schedule", "return_size", "active"]
    ordering = ["council", "order"]

    def save_model(self, request: Any, obj: MonitoringTier, form: Any, change: bool) -> None:
        """Changes from the admin site are audited like those from the tiers page."""
        # lazy: the admin site loads at start-up; the services only when a tier is saved
        from thrive.monitoring import services

        services.save_tier(tier=obj, actor=request.user, reason="Changed on the admin site")


@admin.register(MonitoringPlan)
class MonitoringPlanAdmin(admin.ModelAdmin):
    list_display = ["pk", "organisation", "lead_directorate", "tier_name", "schedule", "status"]
    list_filter = ["council", "status", "schedule"]
    raw_id_fields = ["organisation", "awards", "lead_directorate", "tier", "created_by"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changed only through the audited pages."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


admin.site.register(MonitoringSettings, ReadOnlyAdmin)
admin.site.register(LeadFunder, ReadOnlyAdmin)

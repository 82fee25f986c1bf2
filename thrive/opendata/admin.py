from typing import Any

from django.contrib import admin

from thrive.opendata.models import (
    ExternalContract,
    ExternalGrant,
    ExternalGrantClassification,
    ExternalGrantLocation,
    ImportRun,
    PublisherSettings,
)


@admin.register(PublisherSettings)
class PublisherSettingsAdmin(admin.ModelAdmin):
    """Each council's 360Giving prefix, OCDS ocid prefix and funder org-id."""

    list_display = ["council", "grant_prefix", "ocid_prefix", "funder_org_id"]


class ReadOnly:
    """Imported data is kept as its publisher wrote it: read here, changed only by importing."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class LocationInline(ReadOnly, admin.TabularInline):
    model = ExternalGrantLocation
    fields = ["geo_code", "geo_code_type", "name", "country_code"]
    extra = 0


class ClassificationInline(ReadOnly, admin.TabularInline):
    model = ExternalGrantClassification
    fields = ["vocabulary", "code", "title"]
    extra = 0


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly, admin.ModelAdmin):
    """Each import of another publisher's file, with what it brought in and found wrong."""

    list_display = [
        "source_name",
        "kind",
        "imported_at",
        "imported_by",
        "records_read",
        "grants_created",
        "grants_updated",
        "organisations_created",
        "held_for_review",
        "errors",
        "warnings",
    ]
    list_filter = ["kind", "file_format"]
    list_select_related = ["imported_by"]
    search_fields = ["source_name", "publishers"]
    date_hierarchy = "imported_at"


@admin.register(ExternalGrant)
class ExternalGrantAdmin(ReadOnly, admin.ModelAdmin):
    """Other funders' grants, as imported from 360Giving."""

    list_display = [
        "grant_id",
        "title",
        "funder_name",
        "recipient_name",
        "recipient",
        "recipient_status",
        "amount_awarded",
        "currency",
        "award_date",
        "import_run",
    ]
    list_filter = ["recipient_status", "currency"]
    list_select_related = ["recipient", "import_run"]
    search_fields = [
        "grant_id",
        "title",
        "funder_name",
        "funder_org_id",
        "recipient_name",
        "recipient_org_id",
        "recipient__name",
    ]
    date_hierarchy = "award_date"
    raw_id_fields = ["recipient", "import_run"]
    inlines = [LocationInline, ClassificationInline]


@admin.register(ExternalContract)
class ExternalContractAdmin(ReadOnly, admin.ModelAdmin):
    """Other buyers' contract awards, as imported from OCDS: one row an award and supplier."""

    list_display = [
        "ocid",
        "title",
        "buyer_name",
        "supplier_name",
        "recipient",
        "recipient_status",
        "value",
        "currency",
        "award_date",
        "import_run",
    ]
    list_filter = ["recipient_status", "status", "currency"]
    list_select_related = ["recipient", "import_run"]
    search_fields = [
        "ocid",
        "award_id",
        "title",
        "buyer_name",
        "buyer_org_id",
        "supplier_name",
        "supplier_org_id",
        "recipient__name",
    ]
    date_hierarchy = "award_date"
    raw_id_fields = ["recipient", "import_run"]

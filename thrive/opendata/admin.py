from django.contrib import admin

from thrive.opendata.models import PublisherSettings


@admin.register(PublisherSettings)
class PublisherSettingsAdmin(admin.ModelAdmin):
    """Each council's 360Giving prefix, OCDS ocid prefix and funder org-id."""

    list_display = ["council", "grant_prefix", "ocid_prefix", "funder_org_id"]

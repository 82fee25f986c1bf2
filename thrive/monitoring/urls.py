from django.urls import path

from thrive.monitoring.views import lead_funder, plans, returns, tiers

app_name = "monitoring"

urlpatterns = [
    path("", plans.overview, name="overview"),
    path("all-returns/", plans.returns, name="returns"),
    path("all-returns/export/", plans.returns_export, name="returns_export"),
    path("your-returns/", returns.provider, name="provider"),
    path("returns/<int:return_id>/", returns.return_detail, name="return"),
    path("returns/<int:return_id>/edit/", returns.return_edit, name="return_edit"),
    path("returns/<int:return_id>/upload/", returns.return_upload, name="return_upload"),
    path(
        "returns/<int:return_id>/files/<int:attachment_id>/",
        returns.return_attachment,
        name="return_attachment",
    ),
    path("returns/<int:return_id>/decide/", returns.return_decide, name="return_decide"),
    path("returns/<int:return_id>/rate/", returns.return_rate, name="return_rate"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan"),
    path("plans/<int:plan_id>/visits/add/", plans.visit_add, name="visit_add"),
    path("tiers/", tiers.tiers, name="tiers"),
    path("tiers/add/", tiers.tier_add, name="tier_add"),
    path("tiers/<int:tier_id>/edit/", tiers.tier_edit, name="tier_edit"),
    path("settings/", tiers.settings_edit, name="settings"),
    path("lead-funders/", lead_funder.lead_funders, name="lead_funders"),
    path("lead-funders/export/", lead_funder.lead_funders_export, name="lead_funders_export"),
    path(
        "lead-funders/<int:organisation_id>/appoint/",
        lead_funder.lead_appoint,
        name="lead_appoint",
    ),
]

from django.urls import path

from thrive.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("all-returns/", views.returns, name="returns"),
    path("all-returns/export/", views.returns_export, name="returns_export"),
    path("your-returns/", views.provider, name="provider"),
    path("returns/<int:return_id>/", views.return_detail, name="return"),
    path("returns/<int:return_id>/edit/", views.return_edit, name="return_edit"),
    path("returns/<int:return_id>/upload/", views.return_upload, name="return_upload"),
    path(
        "returns/<int:return_id>/files/<int:attachment_id>/",
        views.return_attachment,
        name="return_attachment",
    ),
    path("returns/<int:return_id>/decide/", views.return_decide, name="return_decide"),
    path("returns/<int:return_id>/rate/", views.return_rate, name="return_rate"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/visits/add/", views.visit_add, name="visit_add"),
    path("tiers/", views.tiers, name="tiers"),
    path("tiers/add/", views.tier_add, name="tier_add"),
    path("tiers/<int:tier_id>/edit/", views.tier_edit, name="tier_edit"),
    path("settings/", views.settings_edit, name="settings"),
    path("lead-funders/", views.lead_funders, name="lead_funders"),
    path("lead-funders/export/", views.lead_funders_export, name="lead_funders_export"),
    path("lead-funders/<int:organisation_id>/appoint/", views.lead_appoint, name="lead_appoint"),
]

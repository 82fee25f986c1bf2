from django.urls import path

from thrive.reporting import feedback_views, funders_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:key>/", views.export, name="export"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("indicators/", views.indicators, name="indicators"),
    path("funders/", funders_views.who_funds_whom, name="who_funds_whom"),
    path("annual/", views.annual_index, name="annual_index"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>/pdf/", views.annual_pdf, name="annual_pdf"),
    path("feedback/", feedback_views.feedback_comments, name="feedback_comments"),
    path(
        "feedback/export/",
        feedback_views.feedback_comments_export,
        name="feedback_comments_export",
    ),
    path("feedback/<int:application_id>/", views.feedback, name="feedback"),
    path("guidance/", views.guidance_index, name="guidance"),
    path("guidance/<slug:stage>/", views.guidance_stage, name="guidance_stage"),
]

from django.urls import path

from thrive.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.assessment_settings, name="settings"),
    path("opportunities/<int:opportunity_id>/", views.panel, name="panel"),
    path("opportunities/<int:opportunity_id>/members/add/", views.add_member, name="add_member"),
    path(
        "opportunities/<int:opportunity_id>/members/<int:member_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("opportunities/<int:opportunity_id>/declare/", views.declare, name="declare"),
    path(
        "opportunities/<int:opportunity_id>/moderation/",
        views.open_moderation,
        name="open_moderation",
    ),
    path("opportunities/<int:opportunity_id>/results/", views.results, name="results"),
    path(
        "opportunities/<int:opportunity_id>/results/export/",
        views.results_export,
        name="results_export",
    ),
    path("opportunities/<int:opportunity_id>/recommend/", views.recommend, name="recommend"),
    path("applications/<int:application_id>/score/", views.score, name="score"),
    path("applications/<int:application_id>/moderate/", views.moderate, name="moderate"),
    path("applications/<int:application_id>/feedback/", views.feedback, name="feedback"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    path("awards/<int:winner_id>/make/", views.make_award, name="make_award"),
]

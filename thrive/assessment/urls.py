from django.urls import path

from thrive.assessment.views import decisions, panels, scoring

app_name = "assessment"

urlpatterns = [
    path("", panels.home, name="home"),
    path("settings/", panels.assessment_settings, name="settings"),
    path("opportunities/<int:opportunity_id>/", panels.panel, name="panel"),
    path("opportunities/<int:opportunity_id>/members/add/", panels.add_member, name="add_member"),
    path(
        "opportunities/<int:opportunity_id>/members/<int:member_id>/remove/",
        panels.remove_member,
        name="remove_member",
    ),
    path("opportunities/<int:opportunity_id>/declare/", panels.declare, name="declare"),
    path(
        "opportunities/<int:opportunity_id>/moderation/",
        panels.open_moderation,
        name="open_moderation",
    ),
    path("opportunities/<int:opportunity_id>/results/", scoring.results, name="results"),
    path(
        "opportunities/<int:opportunity_id>/results/export/",
        scoring.results_export,
        name="results_export",
    ),
    path("opportunities/<int:opportunity_id>/recommend/", decisions.recommend, name="recommend"),
    path("applications/<int:application_id>/score/", scoring.score, name="score"),
    path("applications/<int:application_id>/moderate/", scoring.moderate, name="moderate"),
    path("applications/<int:application_id>/feedback/", decisions.feedback, name="feedback"),
    path("decisions/<int:decision_id>/", decisions.decision, name="decision"),
    path("awards/<int:winner_id>/make/", decisions.make_award, name="make_award"),
]

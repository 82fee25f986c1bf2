from django.urls import path

from thrive.strategy import views

app_name = "strategy"

urlpatterns = [
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/add/", views.outcome_add, name="outcome_add"),
    path("outcomes/<int:outcome_id>/", views.outcome_edit, name="outcome_edit"),
    path("directorates/", views.directorates, name="directorates"),
    path("directorates/add/", views.directorate_add, name="directorate_add"),
    path("directorates/<int:directorate_id>/", views.directorate_edit, name="directorate_edit"),
    path("pots/", views.pots, name="pots"),
    path("pots/add/", views.pot_add, name="pot_add"),
    path("pots/merge/", views.pot_merge, name="pot_merge"),
    path("pots/<int:pot_id>/", views.pot_detail, name="pot_detail"),
    path("pots/<int:pot_id>/budget/", views.pot_budget, name="pot_budget"),
    path("pots/<int:pot_id>/contributions/add/", views.pot_contribution, name="pot_contribution"),
    path("pots/<int:pot_id>/commit/", views.pot_commit, name="pot_commit"),
    path(
        "commitments/<int:commitment_id>/release/",
        views.commitment_release,
        name="commitment_release",
    ),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/add/", views.threshold_add, name="threshold_add"),
    path("thresholds/<int:threshold_id>/", views.threshold_edit, name="threshold_edit"),
]

urlpatterns += [
    path("plan/", views.action_plan, name="action_plan"),
    path("plan/export/", views.action_plan_export, name="action_plan_export"),
    path("plan/add/", views.action_add, name="action_add"),
    path("plan/<int:action_id>/", views.action_edit, name="action_edit"),
    path("plan/<int:action_id>/status/", views.action_status, name="action_status"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/export/", views.surveys_export, name="surveys_export"),
    path("surveys/add/", views.survey_add, name="survey_add"),
    path("surveys/<int:round_id>/", views.survey_results, name="survey_results"),
    path("surveys/<int:round_id>/edit/", views.survey_edit, name="survey_edit"),
    path(
        "surveys/<int:round_id>/export/",
        views.survey_results_export,
        name="survey_results_export",
    ),
    path("sector-survey/", views.sector_survey, name="sector_survey"),
    path(
        "sector-survey/<int:round_id>/<int:organisation_id>/",
        views.sector_survey_answer,
        name="sector_survey_answer",
    ),
]

"""The survey pages kept at the strategy's addresses (included by ``thrive.strategy.urls``)."""

from django.urls import path

from thrive.organisations.survey import views

urlpatterns = [
    path("surveys/<int:round_id>/", views.survey_results, name="survey_results"),
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

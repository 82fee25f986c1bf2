from django.urls import include, path

from thrive.strategy import extensions
from thrive.strategy.views import framework, plan, pots, survey, thresholds

app_name = "strategy"

urlpatterns = [
    path("outcomes/", framework.outcomes, name="outcomes"),
    path("outcomes/add/", framework.outcome_add, name="outcome_add"),
    path("outcomes/<int:outcome_id>/", framework.outcome_edit, name="outcome_edit"),
    path("directorates/", framework.directorates, name="directorates"),
    path("directorates/add/", framework.directorate_add, name="directorate_add"),
    path("directorates/<int:directorate_id>/", framework.directorate_edit, name="directorate_edit"),
    path("pots/", pots.pots, name="pots"),
    path("pots/add/", pots.pot_add, name="pot_add"),
    path("pots/merge/", pots.pot_merge, name="pot_merge"),
    path("pots/<int:pot_id>/", pots.pot_detail, name="pot_detail"),
    path("pots/<int:pot_id>/budget/", pots.pot_budget, name="pot_budget"),
    path("pots/<int:pot_id>/contributions/add/", pots.pot_contribution, name="pot_contribution"),
    path("pots/<int:pot_id>/commit/", pots.pot_commit, name="pot_commit"),
    path(
        "commitments/<int:commitment_id>/release/",
        pots.commitment_release,
        name="commitment_release",
    ),
    path("thresholds/", thresholds.thresholds, name="thresholds"),
    path("thresholds/add/", thresholds.threshold_add, name="threshold_add"),
    path("thresholds/<int:threshold_id>/", thresholds.threshold_edit, name="threshold_edit"),
]

urlpatterns += [
    path("plan/", plan.action_plan, name="action_plan"),
    path("plan/export/", plan.action_plan_export, name="action_plan_export"),
    path("plan/add/", plan.action_add, name="action_add"),
    path("plan/<int:action_id>/", plan.action_edit, name="action_edit"),
    path("plan/<int:action_id>/status/", plan.action_status, name="action_status"),
    path("surveys/", survey.surveys, name="surveys"),
    path("surveys/export/", survey.surveys_export, name="surveys_export"),
    path("surveys/add/", survey.survey_add, name="survey_add"),
    path("surveys/<int:round_id>/edit/", survey.survey_edit, name="survey_edit"),
]

# Pages a higher app adds under the strategy's addresses (the survey's results and answers)
urlpatterns += [path("", include(module)) for module in extensions.url_modules]

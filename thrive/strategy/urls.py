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

from django.urls import path

from thrive.opendata import views, views_review, views_runs

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.publisher_settings, name="settings"),
    path("imports/", views_runs.import_runs, name="import_runs"),
    path("imports/<int:pk>/", views_runs.import_run, name="import_run"),
    path("held/", views_review.held_recipients, name="held_recipients"),
    path("held/<int:pk>/", views_review.held_recipient, name="held_recipient"),
    path("<slug:slug>/360giving.<str:fmt>", views.grants_file, name="grants_file"),
    path(
        "<slug:slug>/transparency-<str:dataset>.csv",
        views.transparency_file,
        name="transparency_file",
    ),
]

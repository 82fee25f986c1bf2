from django.urls import path

from thrive.core import export_views, todo, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("tasks/", todo.todo_list, name="tasks"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/<int:job_id>/", export_views.export_detail, name="export"),
    path("exports/<int:job_id>/download/", export_views.export_download, name="export_download"),
    path("exports/<int:job_id>/retry/", export_views.export_retry, name="export_retry"),
]

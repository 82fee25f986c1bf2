from django.urls import path

from thrive.organisations.views import directory as directory_views

app_name = "directory"

urlpatterns = [
    path("", directory_views.directory_list, name="list"),
    path("<int:organisation_id>/", directory_views.directory_detail, name="detail"),
]

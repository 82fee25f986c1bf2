from django.urls import path

from thrive.organisations import views

app_name = "organisations"

urlpatterns = [
    path("<int:organisation_id>/members/", views.members, name="members"),
    path("<int:organisation_id>/members/invite/", views.invite, name="invite"),
]

from django.urls import path

from thrive.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("export/", views.export, name="export"),
    path("add/", views.add, name="add"),
    path("register/", views.register, name="register"),
    path("find/", views.find, name="find"),
    path("import/", views.import_file, name="import"),
    path("duplicates/", views.duplicate_queue, name="duplicates"),
    path("duplicates/<int:candidate_id>/", views.duplicate_review, name="duplicate"),
    path("<int:organisation_id>/", views.detail, name="detail"),
    path("<int:organisation_id>/edit/", views.edit, name="edit"),
    path("<int:organisation_id>/identifiers/", views.identifiers, name="identifiers"),
    path(
        "<int:organisation_id>/identifiers/<int:identifier_id>/remove/",
        views.remove_identifier,
        name="remove_identifier",
    ),
    path(
        "<int:organisation_id>/third-sector-test/",
        views.third_sector_test,
        name="third_sector_test",
    ),
    path("<int:organisation_id>/income/", views.income, name="income"),
    path("<int:organisation_id>/services/", views.services_offered, name="services"),
    path(
        "<int:organisation_id>/services/<int:service_id>/remove/",
        views.remove_service,
        name="remove_service",
    ),
    path("<int:organisation_id>/contacts/", views.contacts, name="contacts"),
    path(
        "<int:organisation_id>/contacts/<int:contact_id>/remove/",
        views.remove_contact,
        name="remove_contact",
    ),
    path("<int:organisation_id>/join/", views.join, name="join"),
    path("<int:organisation_id>/members/", views.members, name="members"),
    path("<int:organisation_id>/members/invite/", views.invite, name="invite"),
    path(
        "<int:organisation_id>/requests/<int:request_id>/",
        views.decide_join,
        name="decide_join",
    ),
]

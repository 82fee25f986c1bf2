from django.urls import path

from thrive.organisations.views import members, profile, register, review, selfservice
from thrive.organisations.views.third_sector import third_sector_review

app_name = "organisations"

urlpatterns = [
    path("", register.register_list, name="list"),
    path("export/", register.export, name="export"),
    path("add/", register.add, name="add"),
    path("register/", selfservice.register, name="register"),
    path("find/", selfservice.find, name="find"),
    path("import/", register.import_file, name="import"),
    path("duplicates/", review.duplicate_queue, name="duplicates"),
    path("duplicates/<int:candidate_id>/", review.duplicate_review, name="duplicate"),
    path("<int:organisation_id>/", profile.detail, name="detail"),
    path("<int:organisation_id>/edit/", profile.edit, name="edit"),
    path("<int:organisation_id>/identifiers/", profile.identifiers, name="identifiers"),
    path(
        "<int:organisation_id>/identifiers/<int:identifier_id>/remove/",
        profile.remove_identifier,
        name="remove_identifier",
    ),
    path(
        "<int:organisation_id>/third-sector-test/",
        profile.third_sector_test,
        name="third_sector_test",
    ),
    path(
        "<int:organisation_id>/third-sector-test/review/",
        third_sector_review,
        name="third_sector_review",
    ),
    path("<int:organisation_id>/income/", profile.income, name="income"),
    path("<int:organisation_id>/services/", profile.services_offered, name="services"),
    path(
        "<int:organisation_id>/services/<int:service_id>/remove/",
        profile.remove_service,
        name="remove_service",
    ),
    path("<int:organisation_id>/contacts/", profile.contacts, name="contacts"),
    path(
        "<int:organisation_id>/contacts/<int:contact_id>/remove/",
        profile.remove_contact,
        name="remove_contact",
    ),
    path("<int:organisation_id>/join/", selfservice.join, name="join"),
    path("<int:organisation_id>/members/", selfservice.members, name="members"),
    path("<int:organisation_id>/members/invite/", selfservice.invite, name="invite"),
    path(
        "<int:organisation_id>/members/<int:membership_id>/remove/",
        members.remove_member,
        name="remove_member",
    ),
    path(
        "<int:organisation_id>/members/<int:membership_id>/role/",
        members.member_role,
        name="member_role",
    ),
    path(
        "<int:organisation_id>/invitations/<int:invitation_id>/withdraw/",
        members.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(
        "<int:organisation_id>/requests/<int:request_id>/",
        selfservice.decide_join,
        name="decide_join",
    ),
]

from django.urls import path

from thrive.opportunities import feeds, views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("feed/", feeds.feed, name="feed"),
    path("deadlines.ics", feeds.deadlines_ics, name="deadlines"),
    path("alerts/", views.alerts, name="alerts"),
    path("<int:opportunity_id>/", views.opportunity_detail, name="detail"),
    path(
        "<int:opportunity_id>/documents/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path("<int:opportunity_id>/questions/ask/", views.ask_question, name="ask"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/<int:opportunity_id>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:opportunity_id>/edit/", views.edit, name="edit"),
    path("manage/<int:opportunity_id>/lots/add/", views.add_lot, name="add_lot"),
    path("manage/<int:opportunity_id>/criteria/add/", views.add_criterion, name="add_criterion"),
    path(
        "manage/<int:opportunity_id>/criteria/<int:criterion_id>/remove/",
        views.remove_criterion,
        name="remove_criterion",
    ),
    path("manage/<int:opportunity_id>/documents/add/", views.add_document, name="add_document"),
    path("manage/<int:opportunity_id>/publish/", views.publish, name="publish"),
    path("manage/<int:opportunity_id>/cancel/", views.cancel, name="cancel"),
    path("manage/<int:opportunity_id>/invite/", views.invite, name="invite"),
    path("manage/questions/<int:clarification_id>/answer/", views.answer_question, name="answer"),
]

from django.urls import path

from thrive.opportunities import detail_views, feeds, staff_views, views

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
    path("manage/", staff_views.manage, name="manage"),
    path("manage/new/", staff_views.create, name="create"),
    path("manage/<int:opportunity_id>/", staff_views.manage_detail, name="manage_detail"),
    path("manage/<int:opportunity_id>/edit/", staff_views.edit, name="edit"),
    path("manage/<int:opportunity_id>/lots/add/", detail_views.add_lot, name="add_lot"),
    path(
        "manage/<int:opportunity_id>/criteria/add/",
        detail_views.add_criterion,
        name="add_criterion",
    ),
    path(
        "manage/<int:opportunity_id>/criteria/<int:criterion_id>/remove/",
        detail_views.remove_criterion,
        name="remove_criterion",
    ),
    path(
        "manage/<int:opportunity_id>/documents/add/", detail_views.add_document, name="add_document"
    ),
    path("manage/<int:opportunity_id>/publish/", staff_views.publish, name="publish"),
    path("manage/<int:opportunity_id>/cancel/", detail_views.cancel, name="cancel"),
    path("manage/<int:opportunity_id>/invite/", detail_views.invite, name="invite"),
    path(
        "manage/questions/<int:clarification_id>/answer/",
        detail_views.answer_question,
        name="answer",
    ),
]

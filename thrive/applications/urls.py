from django.urls import path

from thrive.applications import eligibility_views, staff_views, submit_views, views
from thrive.questions import views as question_views

app_name = "applications"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/<int:opportunity_id>/", views.start, name="start"),
    path(
        "small-grants/<int:opportunity_id>/eligibility/",
        eligibility_views.eligibility,
        name="eligibility",
    ),
    path("<int:application_id>/", views.task_list, name="tasks"),
    path("<int:application_id>/organisation/", views.organisation, name="organisation"),
    path("<int:application_id>/pages/<slug:section_key>/", views.section, name="section"),
    path("<int:application_id>/pages/<slug:section_key>/upload/", views.upload, name="upload"),
    path(
        "<int:application_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("<int:application_id>/check/", submit_views.check, name="check"),
    path("<int:application_id>/receipt/", submit_views.receipt, name="receipt"),
    path("<int:application_id>/withdraw/", submit_views.withdraw, name="withdraw"),
    path("<int:application_id>/reopen/", submit_views.reopen, name="reopen"),
    path("<int:application_id>/review/", staff_views.review, name="review"),
    path("<int:application_id>/screen/", staff_views.screen, name="screen"),
    path("<int:application_id>/decide/", staff_views.decide, name="decide"),
    path("received/<int:opportunity_id>/", staff_views.received, name="received"),
    path(
        "received/<int:opportunity_id>/export/",
        staff_views.received_export,
        name="received_export",
    ),
    path("open-bids/<int:opportunity_id>/", staff_views.open_bids, name="open_bids"),
    path("openings/", staff_views.openings, name="openings"),
    path(
        "small-grants/settings/",
        staff_views.small_grants_configure,
        name="small_grants_settings",
    ),
    path("forms/", question_views.form_templates, name="forms"),
    path(
        "forms/versions/<int:version_id>/",
        question_views.form_version,
        name="form_version",
    ),
]

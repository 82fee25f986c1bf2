from django.urls import path

from thrive.commissioning.extensions import INTENTION_PAGES
from thrive.commissioning.views import deciding, intentions, involvement, needs, public

app_name = "commissioning"

STAFF = "commissioning/"

urlpatterns = [
    # Needs and prioritisation.
    path(f"{STAFF}needs/", needs.need_list, name="needs"),
    path(f"{STAFF}needs/add/", needs.need_add, name="need_add"),
    path(f"{STAFF}needs/<int:need_id>/", needs.need_detail, name="need_detail"),
    path(f"{STAFF}needs/<int:need_id>/change/", needs.need_edit, name="need_edit"),
    path(f"{STAFF}needs/<int:need_id>/evidence/", needs.need_evidence, name="need_evidence"),
    path(
        f"{STAFF}needs/<int:need_id>/evidence/<int:item_id>/file/",
        needs.need_evidence_file,
        name="need_evidence_file",
    ),
    path(f"{STAFF}needs/<int:need_id>/score/", needs.need_score, name="need_score"),
    path(f"{STAFF}settings/", needs.settings_page, name="settings"),
    # Intentions.
    path(f"{STAFF}intentions/", intentions.intention_list, name="intentions"),
    path(f"{STAFF}intentions/add/", intentions.intention_add, name="intention_add"),
    path(f"{STAFF}intentions/combine/", deciding.intention_combine, name="intention_combine"),
    path(
        f"{STAFF}intentions/<int:intention_id>/",
        intentions.intention_detail,
        name="intention_detail",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/basics/",
        intentions.intention_basics,
        name="intention_basics",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/specification/",
        intentions.intention_specification,
        name="intention_specification",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/funding/",
        intentions.intention_funding,
        name="intention_funding",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/equality/",
        intentions.intention_eqia,
        name="intention_eqia",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/method/",
        deciding.intention_method,
        name="intention_method",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/method/confirm/",
        deciding.intention_method_confirm,
        name="intention_method_confirm",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/method/agree/",
        deciding.intention_method_agree,
        name="intention_method_agree",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/approve/",
        deciding.intention_approve,
        name="intention_approve",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/publish/",
        deciding.intention_publish,
        name="intention_publish",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/commissioned/",
        deciding.intention_commissioned,
        name="intention_commissioned",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/withdraw/",
        deciding.intention_withdraw,
        name="intention_withdraw",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/notices/",
        deciding.intention_notices,
        name="intention_notices",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/consultation/",
        involvement.intention_consultation,
        name="intention_consultation",
    ),
    path(
        f"{STAFF}intentions/<int:intention_id>/market-testing/",
        involvement.market_test_add,
        name="market_test_add",
    ),
    path(f"{STAFF}consultations/add/", involvement.consultation_add, name="consultation_add"),
    path(
        f"{STAFF}consultations/<int:consultation_id>/",
        involvement.consultation_detail,
        name="consultation_detail",
    ),
    path(
        f"{STAFF}market-testing/<int:test_id>/",
        involvement.market_test_detail,
        name="market_test_detail",
    ),
    # Organisations and the public.
    path("intentions/", public.public_list, name="public_intentions"),
    path("intentions/feed/", public.intentions_feed, name="intentions_feed"),
    path("intentions/<slug:reference>/", public.public_detail, name="public_intention"),
    path("consultations/", involvement.consultation_list, name="consultations"),
    path(
        "consultations/<int:consultation_id>/",
        involvement.consultation_public,
        name="consultation_public",
    ),
    path(
        "consultations/<int:consultation_id>/respond/",
        involvement.consultation_respond,
        name="consultation_respond",
    ),
    path("market-testing/", involvement.market_test_list, name="market_tests"),
    path(
        "market-testing/<int:test_id>/respond/",
        involvement.market_test_respond,
        name="market_test_respond",
    ),
    path("notices/", public.notice_list, name="notices"),
    path("notices/<int:notice_id>/", public.notice_detail, name="notice"),
]

# Pages about an intention that higher apps add (the market analysis, from opendata).
urlpatterns += [
    path(f"{STAFF}intentions/<int:intention_id>/{page.route}", page.view, name=page.name)
    for page in INTENTION_PAGES
]

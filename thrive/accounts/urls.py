from django.urls import path

from thrive.accounts import council_views, staff_views, two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("two-factor/", two_factor_views.overview, name="two_factor"),
    path("two-factor/set-up/", two_factor_views.setup, name="two_factor_setup"),
    path("two-factor/code/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", two_factor_views.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/turn-off/", two_factor_views.turn_off, name="two_factor_turn_off"),
    path("verify-email/resend/", views.resend_verification, name="resend_verification"),
    path("verify-email/", views.verify_email, name="verify_email"),
    path("council/", council_views.council_edit, name="council"),
    path("staff/", staff_views.staff_list, name="staff"),
    path("staff/add/", staff_views.staff_add, name="staff_add"),
    path("staff/<int:user_id>/", staff_views.staff_edit, name="staff_edit"),
    path("staff/<int:user_id>/close/", staff_views.staff_close, name="staff_close"),
    path(
        "staff/<int:user_id>/two-factor/reset/",
        two_factor_views.staff_reset,
        name="staff_two_factor_reset",
    ),
]

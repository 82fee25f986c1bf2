from typing import Any

from django.apps import AppConfig


def _remember_sign_in(sender: Any, **kwargs: Any) -> None:
    # The middleware module is loaded at the first sign-in, not at start-up (quick commands).
    from thrive.accounts.middleware import remember_sign_in

    remember_sign_in(sender, **kwargs)


class AccountsConfig(AppConfig):
    name = "thrive.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from thrive.accounts import rules  # noqa: F401 - registers the app's policy rules

        user_logged_in.connect(_remember_sign_in, dispatch_uid="thrive-accounts-sign-in")

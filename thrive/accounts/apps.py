from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from thrive.core import branding, seeding


def _remember_sign_in(sender: Any, **kwargs: Any) -> None:
    # lazy: start-up (the middleware module is loaded at the first sign-in, not by commands)
    from thrive.accounts.middleware import remember_sign_in

    remember_sign_in(sender, **kwargs)


def _council_names() -> list[str]:
    # lazy: models exist only once the app registry is ready
    from thrive.accounts.models import Council

    return list(Council.objects.order_by("name").values_list("name", flat=True))


class AccountsConfig(AppConfig):
    name = "thrive.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # lazy: the policy loads the auth models, which exist only once the registry is ready
        from thrive.accounts import rules  # noqa: F401 - registers the app's policy rules

        seeding.register("thrive.accounts.seed", order=10)
        branding.council_sources.add(_council_names, key="accounts")
        user_logged_in.connect(_remember_sign_in, dispatch_uid="thrive-accounts-sign-in")

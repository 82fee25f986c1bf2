from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thrive.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from thrive.accounts.middleware import remember_sign_in

        user_logged_in.connect(remember_sign_in, dispatch_uid="thrive-accounts-sign-in")

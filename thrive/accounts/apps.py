from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thrive.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

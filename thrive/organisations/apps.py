from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "thrive.organisations"
    label = "organisations"
    verbose_name = "Organisation register"

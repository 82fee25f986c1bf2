from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "thrive.opendata"
    label = "opendata"
    verbose_name = "Open data"

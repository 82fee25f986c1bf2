from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "thrive.awards"
    label = "awards"
    verbose_name = "Awards"

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "thrive.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from thrive.core import navigation, policy

        navigation.add(
            navigation.NavItem(
                "Open data", "opendata:index", policy.PUBLIC, order=800, anonymous=True
            )
        )

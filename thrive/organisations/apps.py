from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "thrive.organisations"
    label = "organisations"
    verbose_name = "Organisation register"

    def ready(self) -> None:
        from thrive.core import navigation
        from thrive.core.navigation import NavItem

        navigation.add(
            NavItem("Organisations", "organisations:list", "organisations.register.view", order=20)
        )
        navigation.add(
            NavItem("Provider directory", "directory:list", "public", order=80, anonymous=True)
        )
        navigation.add(
            NavItem(
                "Register your organisation",
                "organisations:register",
                "organisations.self_service",
                order=85,
                anonymous=True,
            )
        )

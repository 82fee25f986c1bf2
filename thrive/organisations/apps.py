from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "thrive.organisations"
    label = "organisations"
    verbose_name = "Organisation register"

    def ready(self) -> None:
        from thrive.core import navigation
        from thrive.core.navigation import NavItem
        from thrive.organisations import worklist  # noqa: F401 - registers the app's to-do items

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

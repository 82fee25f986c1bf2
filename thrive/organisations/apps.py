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
            NavItem(
                "Organisations",
                "organisations:list",
                "organisations.register.view",
                order=20,
                top=frozenset(),
                section="Organisations and the sector",
                description="The register of Third Sector organisations",
            )
        )
        navigation.add(
            NavItem(
                "Provider directory",
                "directory:list",
                "public",
                order=80,
                anonymous=True,
                top=frozenset({"anonymous"}),
                section="Organisations and the sector",
                description="Organisations that have chosen to be listed publicly",
            )
        )
        navigation.add(
            NavItem(
                "Register your organisation",
                "organisations:register",
                "organisations.self_service",
                order=85,
                anonymous=True,
                top=frozenset({"anonymous"}),
                section="Organisations and the sector",
                description="Register another organisation, or ask to join one",
            )
        )

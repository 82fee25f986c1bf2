from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "thrive.awards"
    label = "awards"
    verbose_name = "Awards"

    def ready(self) -> None:
        from thrive.awards import rules  # noqa: F401 - registers the app's policy rules
        from thrive.core import navigation
        from thrive.core.navigation import NavItem

        navigation.add(
            NavItem("Awards", "awards:register", "awards.register", 70, top=frozenset({"staff"}))
        )
        navigation.add(
            NavItem("Your awards", "awards:yours", "awards.mine", 72, top=frozenset({"provider"}))
        )

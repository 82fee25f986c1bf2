from django.apps import AppConfig

from thrive.core import export_registry, seeding


class AwardsConfig(AppConfig):
    name = "thrive.awards"
    label = "awards"
    verbose_name = "Awards"

    def ready(self) -> None:
        seeding.register("thrive.awards.seed", order=50)
        export_registry.register(
            "awards.register",
            action="awards.register",
            build="thrive.awards.views.register:register_table",
        )
        # lazy: the rules import models, which exist only once the app registry is ready
        from thrive.awards import rules  # noqa: F401 - registers the app's policy rules

        # lazy: the register's and organisation page's awards part imports models
        from thrive.awards.organisation_parts import register_organisation_parts

        register_organisation_parts()

        # lazy: navigation reads the policy, which imports models: ready only now
        from thrive.core import navigation

        navigation.add(
            navigation.NavItem(
                "Awards", "awards:register", "awards.register", 70, top=frozenset({"staff"})
            )
        )
        navigation.add(
            navigation.NavItem(
                "Your awards", "awards:yours", "awards.mine", 72, top=frozenset({"provider"})
            )
        )

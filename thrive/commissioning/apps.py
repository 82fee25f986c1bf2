from django.apps import AppConfig

from thrive.core import seeding


class CommissioningConfig(AppConfig):
    name = "thrive.commissioning"
    label = "commissioning"
    verbose_name = "Needs and commissioning intentions"

    def ready(self) -> None:
        seeding.register("thrive.commissioning.seed", order=60)
        # registers the app's policy rules and to-do items
        from thrive.commissioning import rules, worklist  # noqa: F401
        from thrive.core import navigation
        from thrive.core.navigation import NavItem

        navigation.add(
            NavItem(
                "Needs",
                "commissioning:needs",
                "commissioning.needs.view",
                320,
                top=frozenset(),
                section="Commissioning",
                description="Needs with their evidence and priority",
            )
        )
        navigation.add(
            NavItem(
                "Intentions",
                "commissioning:intentions",
                "commissioning.intentions.view",
                330,
                top=frozenset({"staff"}),
            )
        )
        navigation.add(
            NavItem(
                "Published intentions",
                "commissioning:public_intentions",
                "public",
                340,
                anonymous=True,
                top=frozenset({"anonymous"}),
                section="Commissioning",
                description="What the council plans to commission, as published",
            )
        )
        navigation.add(
            NavItem(
                "Consultations",
                "commissioning:consultations",
                "public",
                345,
                anonymous=True,
                top=frozenset({"anonymous"}),
                section="Commissioning",
                description="Have your say on what the council plans",
            )
        )
        navigation.add(
            NavItem(
                "Market testing",
                "commissioning:market_tests",
                "commissioning.respond",
                350,
                top=frozenset(),
                section="Commissioning",
                description="Soft market tests your organisation is invited to",
            )
        )
        navigation.add(
            NavItem(
                "Notices",
                "commissioning:notices",
                "commissioning.notices.view",
                355,
                top=frozenset(),
                section="Commissioning",
                description="Decommissioning notices to your organisations",
            )
        )

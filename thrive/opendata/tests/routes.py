from thrive.testing.routes import AS_GET, STAFF_ROLES, Expect, only, public

REGISTER_STEWARDS = ("strategy_group", "council_admin", "system_admin")

ROUTES = {
    "opendata:index": public(),
    "opendata:settings": only("council_admin", post=AS_GET),
    # Every council's staff see the imports into the register they share.
    "opendata:import_runs": only(*STAFF_ROLES),
    "opendata:import_run": only(
        *STAFF_ROLES, kwargs=lambda world: {"pk": world.import_run.pk}, shared=True
    ),
    # The register's stewards decide who a held grant recipient is, as they do duplicates.
    "opendata:held_recipients": only(*REGISTER_STEWARDS),
    "opendata:held_recipient": only(
        *REGISTER_STEWARDS,
        kwargs=lambda world: {"pk": world.held_grant.pk},
        shared=True,
        post=AS_GET,
    ),
    "opendata:grants_file": public(
        kwargs=lambda world: {"slug": world.council.slug, "fmt": "csv"}, shared=True
    ),
    "opendata:transparency_file": public(
        kwargs=lambda world: {"slug": world.council.slug, "dataset": "contracts"}, shared=True
    ),
}


def prepare(world) -> None:
    from thrive.accounts.models import Council
    from thrive.opendata.tests.factories import ExternalGrantFactory, ImportRunFactory

    world.council = Council.objects.order_by("pk").first()
    world.import_run = ImportRunFactory()
    world.held_grant = ExternalGrantFactory(recipient=None, recipient_status="held")


__all__ = ["ROUTES", "Expect"]

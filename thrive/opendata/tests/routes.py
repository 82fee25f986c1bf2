from thrive.testing.routes import AS_GET, STAFF_ROLES, Expect, only, public

ROUTES = {
    "opendata:index": public(),
    "opendata:settings": only("council_admin", post=AS_GET),
    # Every council's staff see the imports into the register they share.
    "opendata:import_runs": only(*STAFF_ROLES),
    "opendata:import_run": only(
        *STAFF_ROLES, kwargs=lambda world: {"pk": world.import_run.pk}, shared=True
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
    from thrive.opendata.tests.factories import ImportRunFactory

    world.council = Council.objects.order_by("pk").first()
    world.import_run = ImportRunFactory()


__all__ = ["ROUTES", "Expect"]

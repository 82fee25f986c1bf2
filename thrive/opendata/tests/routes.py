from thrive.testing.routes import AS_GET, Expect, only, public

ROUTES = {
    "opendata:index": public(),
    "opendata:settings": only("council_admin", post=AS_GET),
    "opendata:grants_file": public(
        kwargs=lambda world: {"slug": world.council.slug, "fmt": "csv"}, shared=True
    ),
    "opendata:transparency_file": public(
        kwargs=lambda world: {"slug": world.council.slug, "dataset": "contracts"}, shared=True
    ),
}


def prepare(world) -> None:
    from thrive.accounts.models import Council

    world.council = Council.objects.order_by("pk").first()


__all__ = ["ROUTES", "Expect"]

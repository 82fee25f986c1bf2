from thrive.testing.routes import Expect, only, public

ROUTES = {
    "opendata:index": public(),
    "opendata:settings": only("council_admin"),
    "opendata:grants_file": public(kwargs=lambda world: {"slug": world.council.slug, "fmt": "csv"}),
    "opendata:transparency_file": public(
        kwargs=lambda world: {"slug": world.council.slug, "dataset": "contracts"}
    ),
}


def prepare(world) -> None:
    from thrive.accounts.models import Council

    world.council = Council.objects.order_by("pk").first()


__all__ = ["ROUTES", "Expect"]

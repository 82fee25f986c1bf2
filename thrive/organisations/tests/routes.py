from thrive.testing.routes import PROVIDER_ADMIN, PROVIDER_MEMBER, only

ROUTES = {
    "organisations:members": only(
        PROVIDER_ADMIN,
        PROVIDER_MEMBER,
        "system_admin",
        kwargs=lambda world: {"organisation_id": world.organisation.pk},
    ),
    "organisations:invite": only(
        PROVIDER_ADMIN, kwargs=lambda world: {"organisation_id": world.organisation.pk}
    ),
}

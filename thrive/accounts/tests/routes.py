from thrive.testing.routes import ANONYMOUS, STAFF_ROLES, Expect, only, public, signed_in

ROUTES = {
    "accounts:account": signed_in(),
    "accounts:login": Expect(
        200,
        {actor: 302 for actor in STAFF_ROLES}
        | {"provider_admin": 302, "provider_member": 302, "provider_other": 302},
    ),
    "accounts:logout": Expect(405),
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public(
        kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": public(),
    "accounts:tokens": signed_in(),
    "accounts:revoke_token": Expect(405, kwargs=lambda world: {"token_id": world.token.pk}),
    "accounts:invitation": Expect(
        200,
        {actor: 403 for actor in STAFF_ROLES} | {ANONYMOUS: 200},
        kwargs=lambda world: {"token": world.invitation_token},
    ),
    "accounts:staff": only("council_admin", "system_admin"),
    "accounts:staff_add": Expect(403, {ANONYMOUS: 302, "council_admin": 200, "system_admin": 302}),
    "accounts:staff_edit": only(
        "council_admin",
        "system_admin",
        kwargs=lambda world: {"user_id": world.users["commissioner"].pk},
    ),
    "accounts:staff_close": only(
        "council_admin",
        "system_admin",
        kwargs=lambda world: {"user_id": world.users["commissioner"].pk},
    ),
}

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
    "accounts:two_factor": signed_in(),
    "accounts:two_factor_setup": signed_in(),
    # Everyone here is verified already or has no app: the code page sends them on.
    "accounts:two_factor_verify": Expect(302),
    "accounts:two_factor_backup_codes": signed_in(),
    "accounts:two_factor_turn_off": Expect(302, {"council_admin": 200, "system_admin": 200}),
    "accounts:staff_two_factor_reset": only(
        "council_admin",
        "system_admin",
        kwargs=lambda world: {"user_id": world.users["commissioner"].pk},
    ),
    "accounts:resend_verification": Expect(405),
    # Without a token (the link's query string) the page says the link is not valid.
    "accounts:verify_email": Expect(400),
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

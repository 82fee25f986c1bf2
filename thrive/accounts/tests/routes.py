from thrive.accounts.tokens import invitation_token
from thrive.testing.routes import (
    ANONYMOUS,
    AS_GET,
    PROVIDER_ADMIN,
    SIGNED_IN,
    STAFF_ROLES,
    Expect,
    only,
    public,
    signed_in,
)

ROUTES = {
    "accounts:account": signed_in(post=AS_GET),
    "accounts:login": Expect(
        200,
        {actor: 302 for actor in STAFF_ROLES}
        | {"provider_admin": 302, "provider_member": 302, "provider_other": 302},
        post=AS_GET,
    ),
    "accounts:logout": Expect(405, post=(ANONYMOUS, *SIGNED_IN)),
    "accounts:password_reset": public(post=AS_GET),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public(
        kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}, shared=True
    ),
    "accounts:password_reset_complete": public(),
    "accounts:tokens": signed_in(post=AS_GET),
    "accounts:revoke_token": Expect(
        405, kwargs=lambda world: {"token_id": world.token.pk}, post=(PROVIDER_ADMIN,)
    ),
    "accounts:invitation": Expect(
        200,
        {actor: 403 for actor in STAFF_ROLES} | {ANONYMOUS: 200},
        kwargs=lambda world: {"token": invitation_token(world.invitation)},
        post=AS_GET,
    ),
    "accounts:two_factor": signed_in(),
    "accounts:two_factor_setup": signed_in(post=AS_GET),
    # Everyone here is verified already or has no app: the code page sends them on.
    "accounts:two_factor_verify": Expect(302),
    "accounts:two_factor_backup_codes": signed_in(post=AS_GET),
    "accounts:two_factor_turn_off": Expect(
        302, {"council_admin": 200, "system_admin": 200}, post=AS_GET
    ),
    "accounts:staff_two_factor_reset": only(
        "council_admin",
        "system_admin",
        kwargs=lambda world: {"user_id": world.users["commissioner"].pk},
        post=AS_GET,
    ),
    "accounts:resend_verification": Expect(405, post=SIGNED_IN),
    # Without a token (the link's query string) the page says the link is not valid.
    "accounts:verify_email": Expect(400),
    "accounts:staff": only("council_admin", "system_admin"),
    "accounts:council": only("council_admin", post=AS_GET),
    "accounts:staff_add": Expect(
        403, {ANONYMOUS: 302, "council_admin": 200, "system_admin": 302}, post=AS_GET
    ),
    "accounts:staff_edit": only(
        "council_admin",
        "system_admin",
        kwargs=lambda world: {"user_id": world.users["commissioner"].pk},
        post=AS_GET,
    ),
    "accounts:staff_close": only(
        "council_admin",
        "system_admin",
        kwargs=lambda world: {"user_id": world.users["commissioner"].pk},
        post=AS_GET,
    ),
}

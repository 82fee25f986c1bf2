"""Two-factor sign-in: an authenticator app (TOTP) and single-use backup codes (django-otp).

Every user may turn it on; system and council administrators must (issue 14 must-have 5).
A session counts as verified once a code from one of the user's confirmed devices was
accepted in it (``django_otp.login``); ``TwoFactorMiddleware`` holds everyone else back.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from thrive.accounts.models import Role, User
from thrive.audit.services import log_action

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now"


def two_factor_required(*, user: User | AnonymousUser) -> bool:
    """System and council administrators cannot use the service without two-factor sign-in."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.has_role(Role.SYSTEM_ADMIN, Role.COUNCIL_ADMIN))


def has_two_factor(*, user: User | AnonymousUser) -> bool:
    """The user has a confirmed authenticator app."""
    return bool(
        user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def backup_codes_left(*, user: User) -> int:
    """How many unused backup codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_app_key() -> str:
    """A new secret for an authenticator app being set up (kept in the session, not saved)."""
    return random_hex(20)


def app_device(*, user: User, key: str) -> TOTPDevice:
    """The authenticator app being set up with ``key``: saved only once its first code is right."""
    return TOTPDevice(user=user, name=APP_DEVICE_NAME, key=key, confirmed=False)


def _new_backup_codes(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.THRIVE_TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _first_code_is_right(device: TOTPDevice, code: str) -> bool:
    """The app shows this code now (one step of clock drift either way)."""
    digits = _digits(code)
    if not digits.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(digits), device.tolerance):
        return False
    device.last_t = totp.t()  # the code signs in no one again
    return True


def confirm_app(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor on once the app's first code is right; return the new backup codes."""
    device = app_device(user=user, key=key)
    if not _first_code_is_right(device, code):
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.full_clean()
        device.save()
        codes = _new_backup_codes(user=user)
        log_action(action="accounts.two_factor.set_up", actor=user, obj=user, council=user.council)
    return device, codes


def replace_backup_codes(*, user: User) -> list[str]:
    """Issue a fresh set of backup codes; the old ones stop working."""
    if not has_two_factor(user=user):
        raise ValidationError("Set up two-factor sign-in first")
    with transaction.atomic():
        codes = _new_backup_codes(user=user)
        log_action(
            action="accounts.two_factor.backup_codes_replaced",
            actor=user,
            obj=user,
            council=user.council,
        )
    return codes


def _digits(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "")


def verify_code(*, user: User, code: str) -> Device | None:
    """The device that accepts this code (the app's current code or an unused backup code).

    Each device throttles wrong guesses itself (django-otp doubles the wait after each one).
    """
    code = _digits(code).lower()
    if not code:
        return None
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if not device.verify_token(code):
                continue
            if model is StaticDevice:
                log_action(
                    action="accounts.two_factor.backup_code_used",
                    actor=user,
                    obj=user,
                    after={"backup_codes_left": device.token_set.count()},
                    council=user.council,
                )
            return device
    return None


def _remove_devices(user: User) -> int:
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[0]
    return removed


def turn_off(*, user: User, password: str = "", code: str = "") -> None:
    """Remove the user's own two-factor sign-in, proven by their password or a current code."""
    if not has_two_factor(user=user):
        raise ValidationError("Two-factor sign-in is not on")
    proven = (bool(password) and user.check_password(password)) or (
        bool(code) and verify_code(user=user, code=code) is not None
    )
    if not proven:
        message = "Enter your correct password or a current code"  # nosec B105
        raise ValidationError({"password": message})
    with transaction.atomic():
        _remove_devices(user)
        log_action(action="accounts.two_factor.removed", actor=user, obj=user, council=user.council)


def reset_for(*, user: User, actor: User | None, reason: str) -> None:
    """An administrator clears someone's two-factor sign-in (a lost phone); they set it up anew."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are resetting their two-factor sign-in"})
    if actor is not None and user.pk == actor.pk:
        raise ValidationError("You cannot reset your own two-factor sign-in here")
    with transaction.atomic():
        removed = _remove_devices(user)
        log_action(
            action="accounts.two_factor.reset",
            actor=actor,
            obj=user,
            before={"devices": removed},
            reason=reason.strip(),
            council=user.council,
        )

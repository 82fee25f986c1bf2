"""Two-factor sign-in in tests: give a user an authenticator app and read its current code.

``with_two_factor(user)`` gives the user a confirmed device and marks the object so that
``client.force_login(user)`` starts a verified session, as signing in with a code would
(``verify_marked_session``, connected to ``user_logged_in`` by the root conftest).
``staff_with_role`` does this for the administrators who must use it.
"""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive.accounts.two_factor_views import PENDING_APP_KEY


def with_two_factor(user: Any) -> Any:
    """Give the user a confirmed authenticator app; force_login then verifies the session."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    user.otp_device = device
    return user


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the device's app shows now, or that many 30-second steps later.

    A code is accepted once: a second sign-in in the same step uses ``steps_ahead=1`` (the
    device accepts one step of clock drift either way).
    """
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + steps_ahead * device.step
    return str(generator.token()).zfill(device.digits)


def current_code(user: Any) -> str:
    """A code the user's confirmed authenticator app would accept next.

    Usually the one shown now; if that was already used (each code works once), the next.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now_step = int((time.time() - device.t0) // device.step)
    return code_for(device, steps_ahead=1 if device.last_t >= now_step else 0)


def verify_marked_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver for tests: verify the session of a user marked above.

    ``force_login`` builds a bare request without ``user``, where django-otp's own receiver
    does nothing; a user signing in through the form is a fresh object and is not marked.
    """
    device = getattr(user, "otp_device", None)
    if device is not None and device.user_id == user.pk and request is not None:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def pending_device(client: Any) -> TOTPDevice:
    """The authenticator app the set-up page is showing to ``client`` (not saved yet)."""
    return TOTPDevice(key=client.session[PENDING_APP_KEY])


def device_for_key_text(text: str) -> TOTPDevice:
    """The authenticator app a person sets up by typing the key the set-up page shows."""
    return TOTPDevice(key=b32decode(text.replace(" ", "")).hex())

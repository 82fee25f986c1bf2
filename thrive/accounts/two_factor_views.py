"""Two-factor sign-in pages: set up, enter a code, backup codes, turn off, reset for staff."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive.accounts.forms import (
    ResetTwoFactorForm,
    TwoFactorCodeForm,
    TwoFactorSetupForm,
    TwoFactorTurnOffForm,
)
from thrive.accounts.middleware import note_app_changed
from thrive.accounts.services import two_factor
from thrive.accounts.staff_views import load_staff_member
from thrive.core import policy
from thrive.core.form_views import handle_form, posted
from thrive.core.forms import add_service_errors

QR_LABEL = "QR code to scan with your authenticator app"
PENDING_APP_KEY = "thrive_two_factor_app_key"
"""The session key of the secret of the app being set up."""


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(device: TOTPDevice) -> SafeString:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, svgclass="app-qr-code")
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{QR_LABEL}" ', 1)
    return mark_safe(labelled)  # segno's drawing of our own otpauth URL  # nosec B308 B703


def _key_text(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@policy.rule("account.view")
def overview(request: HttpRequest) -> HttpResponse:
    """Whether two-factor sign-in is on, with the ways to change it."""
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "is_on": two_factor.has_two_factor(user=user),
            "required": two_factor.two_factor_required(user=user),
            "backup_codes_left": two_factor.backup_codes_left(user=user),
        },
    )


@policy.rule("account.view")
def setup(request: HttpRequest) -> HttpResponse:
    """Scan a QR code (or type the key), confirm a code, and receive backup codes once."""
    user = request.user
    # The new app's secret waits in the session until its first code is right: showing the
    # page saves nothing.
    key = request.session.get(PENDING_APP_KEY) or two_factor.new_app_key()
    request.session[PENDING_APP_KEY] = key
    device = two_factor.app_device(user=user, key=key)
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, codes = two_factor.confirm_app(
                user=user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            del request.session[PENDING_APP_KEY]
            otp_login(request, confirmed)
            note_app_changed(request, has_app=True)
            request.session.cycle_key()
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "key_text": _key_text(device),
            "next": _next_url(request),
            "required": two_factor.two_factor_required(user=user),
            "is_on": two_factor.has_two_factor(user=user),
        },
    )


@policy.rule("account.view")
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    user = request.user
    has_app = two_factor.has_two_factor(user=user)
    note_app_changed(request, has_app=has_app)
    if user.is_verified() or not has_app:
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user=user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next_url(request))
        form.add_error("code", two_factor.WRONG_CODE)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@policy.rule("account.view")
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Replace the backup codes: the new set is shown once, the old set stops working."""
    if request.method == "POST":
        try:
            codes = two_factor.replace_backup_codes(user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:two_factor")
        return render(
            request,
            "accounts/two_factor_backup_codes.html",
            {"codes": codes, "next": "", "first_time": False},
        )
    return render(request, "accounts/two_factor_new_codes.html")


@policy.rule("account.view")
def turn_off(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, proven by the password or a current code."""
    user = request.user
    if not two_factor.has_two_factor(user=user):
        return redirect("accounts:two_factor")
    form = TwoFactorTurnOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.turn_off(
                user=user, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            note_app_changed(request, has_app=False)
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor_turn_off.html",
        {"form": form, "required": two_factor.two_factor_required(user=user)},
    )


@policy.rule("staff.manage")
def staff_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """A council administrator clears a colleague's two-factor sign-in (a lost phone)."""
    member = load_staff_member(request, user_id)
    return handle_form(
        request,
        ResetTwoFactorForm(posted(request)),
        save=lambda form: two_factor.reset_for(
            user=member, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success_url=reverse("accounts:staff_edit", args=[member.pk]),
        message=f"Two-factor sign-in reset for {member}.",
        template="accounts/staff_two_factor_reset.html",
        member=member,
        is_on=two_factor.has_two_factor(user=member),
    )

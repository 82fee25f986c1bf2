"""Email from templates: every message has a subject, a plain-text part and an HTML part.

A message named ``invitation`` lives in ``templates/emails/invitation_subject.txt``,
``invitation.txt`` and ``invitation.html``. A message about a council's record is signed by
that council, with its contact details (``emails/includes/signoff.txt`` and ``.html``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from thrive.core import branding


def render_email(
    template: str, context: dict[str, Any], council: Any = None
) -> tuple[str, str, str]:
    """Render a message's subject, text and HTML parts, signed by ``council`` (the council
    whose record the message is about) or, for a message of no one council, the installation."""
    full = {
        **branding.branding(council),
        "service_name": settings.THRIVE_SERVICE_NAME,
        "site_url": settings.THRIVE_SITE_URL,
        **context,
    }
    subject = render_to_string(f"emails/{template}_subject.txt", full)
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{template}.txt", full)
    html = render_to_string(f"emails/{template}.html", full)
    return subject, text, html


def send_templated_email(
    *, to: list[str], template: str, context: dict[str, Any], council: Any = None
) -> int:
    """Render and send one message now; tasks call this with the record's council."""
    subject, text, html = render_email(template, context, council=council)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()

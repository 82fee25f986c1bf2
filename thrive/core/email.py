"""Email from templates: every message has a subject, a plain-text part and an HTML part.

A message named ``invitation`` lives in ``templates/emails/invitation_subject.txt``,
``invitation.txt`` and ``invitation.html``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render a message's subject, text and HTML parts."""
    full = {
        "council_name": settings.THRIVE_COUNCIL_NAME,
        "service_name": settings.THRIVE_SERVICE_NAME,
        "site_url": settings.THRIVE_SITE_URL,
        **context,
    }
    subject = render_to_string(f"emails/{template}_subject.txt", full)
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{template}.txt", full)
    html = render_to_string(f"emails/{template}.html", full)
    return subject, text, html


def send_templated_email(*, to: list[str], template: str, context: dict[str, Any]) -> int:
    """Render and send one message now; tasks call this."""
    subject, text, html = render_email(template, context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()

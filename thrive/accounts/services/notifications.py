"""Emails about to-do items: each new item as it arrives, or one summary a day.

DESIGN §4, "work finds its people": whatever waits on someone appears on their to-do list
and is notified. Each person chooses on their account page how they hear of new items
(``User.todo_emails``). The apps' tasks call ``email_new_item`` with the people who may act;
``thrive send-digests`` calls ``send_digest`` for everyone who chose a daily summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Council, DigestSent, TodoEmails, User
from thrive.core import worklist
from thrive.core.email import send_templated_email


class DigestResult(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already sent"
    NOTHING_WAITING = "nothing waiting"


def set_todo_emails(*, user: User, choice: str) -> User:
    """Keep how the person wants to hear of new items on their to-do list."""
    if choice not in TodoEmails.values:
        raise ValidationError({"todo_emails": "Select how you want to hear about new to-do items"})
    user.todo_emails = choice
    user.save(update_fields=["todo_emails"])
    return user


def absolute_url(*, path: str) -> str:
    """A link for an email: a path on this site gets the site's address in front."""
    return f"{settings.THRIVE_SITE_URL}{path}" if path.startswith("/") else path


def _send(*, user: User, template: str, context: dict[str, Any], council: Council | None) -> int:
    """Send one person one to-do email, signed by the record's council (none: the installation)."""
    return send_templated_email(
        to=[user.email], template=template, context={"recipient": user, **context}, council=council
    )


def email_new_item(
    *, users: Iterable[User], template: str, context: dict[str, Any], council: Council | None
) -> int:
    """Email each person who wants every new item as it arrives, one message each."""
    sent = 0
    for user in users:
        if user.is_active and user.email and user.todo_emails == TodoEmails.EACH:
            sent += _send(user=user, template=template, context=context, council=council)
    return sent


def digest_recipients() -> QuerySet[User]:
    """Everyone who asked for a daily summary and can be emailed."""
    return (
        User.objects.filter(
            is_active=True, todo_emails=TodoEmails.DAILY, email_verified_at__isnull=False
        )
        .exclude(email="")
        .select_related("council")
        .order_by("pk")
    )


def send_digest(*, user: User, day: date | None = None) -> DigestResult:
    """Email the person their to-do list once for the day, if anything is waiting."""
    day = day or timezone.localdate()
    if DigestSent.objects.filter(user=user, day=day).exists():
        return DigestResult.ALREADY_SENT
    items = worklist.items_for(user)
    if not items:
        return DigestResult.NOTHING_WAITING
    context = {
        "day": day,
        "items": [{"item": item, "link": absolute_url(path=item.url)} for item in items],
        "tasks_link": absolute_url(path=reverse("core:tasks")),
        "account_link": absolute_url(path=reverse("accounts:account")),
    }
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, day=day, items=len(items))
            _send(user=user, template="todo_digest", context=context, council=user.council)
    except IntegrityError:
        return DigestResult.ALREADY_SENT
    return DigestResult.SENT

"""A council's contact details and logo, shown on its pages, emails and letters."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from thrive.accounts.models import Council, User
from thrive.audit.services import log_action
from thrive.core.uploads import check_upload

LOGO_MAX_BYTES = 200 * 1024
LOGO_TYPES = ("image/png", "image/jpeg")


@dataclass(frozen=True)
class ContactDetails:
    contact_email: str = ""
    phone: str = ""
    website: str = ""
    postal_address: str = ""


def check_logo(*, upload: UploadedFile) -> str:
    """Refuse a logo larger than 200KB or that is not, by its content, a PNG or JPEG."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError({"logo": "The logo must be smaller than 200KB"})
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from exc
    if checked.content_type not in LOGO_TYPES:
        raise ValidationError({"logo": "The logo must be a PNG or JPEG image"})
    return checked.content_type


def _state(council: Council) -> dict[str, Any]:
    return {
        **{name: getattr(council, name) for name in asdict(ContactDetails())},
        "logo": council.logo_content_type or "none",
    }


def save_council_details(
    *,
    council: Council,
    actor: User,
    details: ContactDetails,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Council:
    """Save how organisations reach the council, and its logo; record what changed."""
    content_type = check_logo(upload=logo) if logo is not None else ""
    with transaction.atomic():
        council = Council.objects.select_for_update().get(pk=council.pk)
        before = _state(council)
        for name, value in asdict(details).items():
            setattr(council, name, value.strip())
        if logo is not None:
            logo.seek(0)
            council.logo, council.logo_content_type = logo.read(), content_type
        elif remove_logo:
            council.logo, council.logo_content_type = b"", ""
        council.full_clean()
        council.save()
        after = _state(council)
        changed = [name for name in after if after[name] != before[name]]
        if logo is not None and "logo" not in changed:
            changed.append("logo")
        if changed:
            log_action(
                action="accounts.council.details_saved",
                actor=actor,
                obj=council,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                council=council,
            )
    return council

"""Recording needs with evidence and scoring them for prioritisation (§2.2, §2.3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import Council, User
from thrive.audit.services import log_action
from thrive.commissioning.models import (
    CommissioningSettings,
    EvidenceItem,
    Need,
    PriorityFactor,
)
from thrive.core import uploads
from thrive.core.models import Area, BeneficiaryGroup
from thrive.strategy.models import Directorate, Outcome

NEED_FIELDS = ("title", "description", "area_id", "directorate_id")
SETTINGS_FIELDS = (
    *(f"weight_{f}" for f in PriorityFactor.values),
    "consultation_weeks",
    "notice_months",
    "withdrawal_share_percent",
    "minimum_term_months",
)


def save_settings(
    *, settings: CommissioningSettings, actor: User, reason: str = ""
) -> CommissioningSettings:
    """Change a council's weights and commissioning settings (saving defaults at first)."""
    saved = CommissioningSettings.objects.filter(pk=settings.pk).first() if settings.pk else None
    before = {f: getattr(saved or CommissioningSettings(), f) for f in SETTINGS_FIELDS}
    if not any(settings.weights().values()):
        raise ValidationError({"weight_equality_gap": "Give at least one factor a weight above 0"})
    with transaction.atomic():
        settings.full_clean()
        settings.save()
        log_action(
            action="commissioning.settings.changed",
            actor=actor,
            obj=settings,
            before=before,
            after={f: getattr(settings, f) for f in SETTINGS_FIELDS},
            reason=reason,
            council=settings.council,
        )
    return settings


def _check_links(
    *,
    council: Council,
    directorate: Directorate,
    area: Area,
    outcomes: list[Outcome],
    groups: list[BeneficiaryGroup],
) -> None:
    errors: dict[str, str] = {}
    if directorate.council_id != council.pk:
        errors["directorate"] = "Choose a directorate of this council"
    if area is not None and area.council_id not in (None, council.pk):
        errors["area"] = "Choose an area this council serves"
    if not outcomes:
        errors["outcomes"] = "Select at least one outcome"
    elif any(o.council_id != council.pk for o in outcomes):
        errors["outcomes"] = "Choose outcomes of this council's framework"
    if not groups:
        errors["groups"] = "Select at least one group"
    if errors:
        raise ValidationError(errors)


def record_need(
    *,
    council: Council,
    directorate: Directorate,
    title: str,
    description: str,
    area: Area,
    outcomes: list[Outcome],
    groups: list[BeneficiaryGroup],
    actor: User,
) -> Need:
    """Record a need with its area, groups and outcomes."""
    _check_links(
        council=council, directorate=directorate, area=area, outcomes=outcomes, groups=groups
    )
    need = Need(
        council=council,
        directorate=directorate,
        title=title.strip(),
        description=description.strip(),
        area=area,
        created_by=actor,
    )
    with transaction.atomic():
        need.full_clean()
        need.save()
        need.outcomes.set(outcomes)
        need.groups.set(groups)
        log_action(
            action="commissioning.need.recorded",
            actor=actor,
            obj=need,
            after={
                "title": need.title,
                "area": str(area),
                "outcomes": [o.code for o in outcomes],
                "groups": [g.code for g in groups],
            },
            council=council,
        )
    return need


def update_need(
    *,
    need: Need,
    title: str,
    description: str,
    area: Area,
    outcomes: list[Outcome],
    groups: list[BeneficiaryGroup],
    actor: User,
) -> Need:
    """Change what a need says and links to."""
    _check_links(
        council=need.council,
        directorate=need.directorate,
        area=area,
        outcomes=outcomes,
        groups=groups,
    )
    before = {
        "title": need.title,
        "description": need.description,
        "area": str(need.area),
        "outcomes": sorted(o.code for o in need.outcomes.all()),
    }
    need.title, need.description, need.area = title.strip(), description.strip(), area
    with transaction.atomic():
        need.full_clean()
        need.save()
        need.outcomes.set(outcomes)
        need.groups.set(groups)
        log_action(
            action="commissioning.need.changed",
            actor=actor,
            obj=need,
            before=before,
            after={
                "title": need.title,
                "description": need.description,
                "area": str(area),
                "outcomes": sorted(o.code for o in outcomes),
            },
            council=need.council,
        )
    return need


def add_evidence(
    *,
    need: Need,
    source: str,
    title: str,
    actor: User,
    summary: str = "",
    url: str = "",
    file: UploadedFile | None = None,
) -> EvidenceItem:
    """Add a piece of evidence, typed by its §2.2 source, with a link or a file."""
    if not url and not file:
        raise ValidationError({"url": "Enter a link to the evidence or attach a file"})
    item = EvidenceItem(
        need=need, source=source, title=title.strip(), summary=summary, url=url, recorded_by=actor
    )
    if file:
        try:
            checked = uploads.check_upload(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        file.name = uploads.safe_name(file.name, checked.extension)
        item.file = file
        item.original_name = file.name
    with transaction.atomic():
        item.full_clean()
        item.save()
        log_action(
            action="commissioning.need.evidence_added",
            actor=actor,
            obj=need,
            after={"source": source, "title": item.title, "url": url, "file": item.file.name},
            council=need.council,
        )
    return item


def score_need(
    *,
    need: Need,
    scores: dict[str, int],
    notes: dict[str, str],
    statutory: bool,
    statutory_basis: str,
    actor: User,
) -> Need:
    """Score a need on the §2.3 factors; each score carries the officer's reason."""
    errors: dict[str, str] = {}
    for factor in PriorityFactor:
        value = scores.get(factor.value)
        if value is None or not 0 <= value <= 3:
            errors[factor.value] = f"Select a score for {factor.label.lower()}"
    if statutory and not statutory_basis.strip():
        errors["statutory_basis"] = "Enter the law or duty that requires this provision"
    if errors:
        raise ValidationError(errors)
    before = {f: getattr(need, f) for f in PriorityFactor.values} | {"statutory": need.statutory}
    scoring = {f: scores[f] for f in PriorityFactor.values} | {
        "statutory": statutory,
        "statutory_basis": statutory_basis.strip() if statutory else "",
        "score_notes": {k: v.strip() for k, v in notes.items() if v and v.strip()},
    }
    if need.scored_at is not None and all(getattr(need, k) == v for k, v in scoring.items()):
        return need
    for field, value in scoring.items():
        setattr(need, field, value)
    need.scored_at = timezone.now()
    with transaction.atomic():
        need.full_clean()
        need.save()
        log_action(
            action="commissioning.need.scored",
            actor=actor,
            obj=need,
            before=before,
            after={f: scores[f] for f in PriorityFactor.values}
            | {"statutory": statutory, "notes": need.score_notes},
            council=need.council,
        )
    return need

"""Drop the kept report figures of a council whenever a record they count changes.

Awards, their parts by year, instalments, variations and targets; monitoring plans, returns,
progress and lead funders; the names the tables are grouped by (directorates, outcomes,
pots, areas); the sector survey's rounds and responses (NI 7); other publishers' grants
and contracts, which an import brings in (its run is saved inside the import's
transaction, so the move follows every grant it wrote). Councils (their names head who
funds whom), organisations, beneficiary groups and imported data are shared, so a change
to one moves every council's figures on. Monitoring records, the survey and imported data
move their own part of the version (``PARTS``), the rest the general one. Connected when
the app is ready.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from thrive.accounts.models import Council
from thrive.awards.models import Award, AwardTarget, AwardYear, Instalment, Variation
from thrive.awards.signals import award_activated, award_varied
from thrive.core.models import Area, BeneficiaryGroup
from thrive.monitoring.models import LeadFunder, MonitoringPlan, MonitoringReturn, TargetProgress
from thrive.opendata.models import ExternalContract, ExternalGrant, ExternalGrantLocation, ImportRun
from thrive.organisations.models import Organisation
from thrive.reporting import kept
from thrive.strategy.models import (
    Directorate,
    FundingPot,
    Outcome,
    SurveyResponse,
    SurveyRound,
)

# How a changed record names its council: itself, or through what it belongs to.
COUNCIL_PATHS = (
    ("council_id",),
    ("award", "council_id"),
    ("plan", "council_id"),
    ("monitoring_return", "plan", "council_id"),
    ("round", "council_id"),
)
OPEN_DATA: tuple[type[Model], ...] = (
    ImportRun,
    ExternalGrant,
    ExternalGrantLocation,
    ExternalContract,
)
SHARED: tuple[type[Model], ...] = (Council, Organisation, BeneficiaryGroup, *OPEN_DATA)
WATCHED: tuple[type[Model], ...] = (
    Award,
    AwardYear,
    Instalment,
    Variation,
    AwardTarget,
    MonitoringPlan,
    MonitoringReturn,
    TargetProgress,
    LeadFunder,
    Directorate,
    Outcome,
    FundingPot,
    Area,
    SurveyRound,
    SurveyResponse,
    *SHARED,
)
# Records counted in their own part of the version (``kept``); the rest move the general one.
PARTS: dict[type[Model], str] = {
    MonitoringPlan: kept.MONITORING,
    MonitoringReturn: kept.MONITORING,
    TargetProgress: kept.MONITORING,
    LeadFunder: kept.MONITORING,
    SurveyRound: kept.SURVEY,
    SurveyResponse: kept.SURVEY,
    **dict.fromkeys(OPEN_DATA, kept.OPEN_DATA),
}
MANY_TO_MANY = (
    Award.outcomes.through,
    Organisation.areas.through,
    Organisation.beneficiary_groups.through,
)


def council_of(instance: Any) -> int | None:
    """The council a changed record counts for, or ``None`` when it may count for any."""
    if isinstance(instance, SHARED):
        return None
    for path in COUNCIL_PATHS:
        value: Any = instance
        try:
            for part in path:
                value = getattr(value, part)
        except (AttributeError, ObjectDoesNotExist):
            continue
        if value:
            return value
    return None


def _changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    council_id = council_of(instance)
    part = PARTS.get(sender, kept.GENERAL)
    kept.changed(None if council_id is None else [council_id], part)


def _award_changed(sender: Any, *, award: Award, **kwargs: Any) -> None:
    kept.changed([award.council_id])


def connect() -> None:
    for model in WATCHED:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"kept-figures-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"kept-figures-del-{label}")
    for through in MANY_TO_MANY:
        m2m_changed.connect(
            _changed, sender=through, dispatch_uid=f"kept-figures-{through._meta.label}"
        )
    award_activated.connect(_award_changed, dispatch_uid="kept-figures-activated")
    award_varied.connect(_award_changed, dispatch_uid="kept-figures-varied")

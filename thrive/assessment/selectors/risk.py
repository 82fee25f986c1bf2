"""Risk information shown beside an application's scores: the organisation's monitoring
track record and other funders' grants and contracts (§3.2).

Imported by module, not re-exported from ``thrive.assessment.selectors``: it reads monitoring
and open data, which the policy rules (loaded at start-up) need not load.
"""

from __future__ import annotations

from thrive.monitoring import selectors as monitoring_selectors
from thrive.monitoring.selectors import TrackRecord
from thrive.opendata import selectors as opendata_selectors
from thrive.opendata.selectors import OtherFunding
from thrive.organisations.models import Organisation


def track_record(*, organisation: Organisation) -> TrackRecord:
    """The organisation's monitoring record, as risk information beside its scores."""
    return monitoring_selectors.track_record(organisation)


def other_funding(*, organisation: Organisation) -> OtherFunding:
    """Other funders' grants and other buyers' contracts of the organisation, as risk
    information: who else funds it, how much, in which years (§3.2)."""
    return opendata_selectors.other_funding_of(organisation)

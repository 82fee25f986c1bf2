"""OCDS release package of the council's contracting, one module a release stage.

``package`` assembles and streams it; ``planning``, ``tender``, ``award``, ``contract`` and
``implementation`` make each stage's releases; ``common`` holds what they share.
"""

from thrive.opendata.ocds.common import SITE_ADDRESS_MISSING, Publisher, site_address_missing
from thrive.opendata.ocds.package import (
    EXTENSIONS,
    OCDS_VERSION,
    UK_EXTENSION,
    fingerprint,
    iter_json,
    iter_releases,
    last_updated,
    package_header,
)

__all__ = [
    "EXTENSIONS",
    "OCDS_VERSION",
    "SITE_ADDRESS_MISSING",
    "UK_EXTENSION",
    "Publisher",
    "fingerprint",
    "iter_json",
    "iter_releases",
    "last_updated",
    "package_header",
    "site_address_missing",
]

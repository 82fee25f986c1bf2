"""Reading a page writes nothing: every GET of every route, by everyone given the page.

Default rows are made when their owner is made (by its service) or shown without being
saved; a page that saved them while rendering would change the database for a reader and
race with a second reader. Sessions, sign-in records and rate-limit counts are bookkeeping,
a download is recorded in the audit log (``DownloadAuditMiddleware``), and a PDF laid out
once is kept to be served again (``StoredDocument``, a cache), as are report figures added
up once (``reporting.KeptFigures`` and their council's ``FiguresVersion``) and the open
data page's counts (``opendata.PublishedCounts``).

One page's reading is itself the event it records: a provider opening a decommissioning
notice is its receipt (the notice period is counted from it, strategy §2.10), so that page
may write the receipt and its audit event, and nothing else.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thrive.core.tests.test_routes import _client_for, _writes
from thrive.testing.forms import url_for
from thrive.testing.routes import EVERY_ACTOR, World, all_expectations

CACHES = [
    "core_storeddocument",
    "reporting_keptfigures",
    "reporting_figuresversion",
    "opendata_publishedcounts",
]

# Pages whose reading is the event they record: the tables each may write.
RECEIPTS: dict[str, tuple[str, ...]] = {
    "commissioning:notice": ("commissioning_decommissioningnotice", "audit_"),
}


@pytest.mark.parametrize("name", sorted(all_expectations()))
def test_reading_a_page_writes_nothing(name: str, world: World) -> None:
    expect = all_expectations()[name]
    url = url_for(name, world)
    found = {}
    for actor in [a for a in EVERY_ACTOR if expect.status_for(a) == 200]:
        client = _client_for(world.users[actor])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        allowed = CACHES + list(RECEIPTS.get(name, ()))
        writes = [sql for sql in _writes(queries, response) if not any(t in sql for t in allowed)]
        if writes:
            found[actor] = writes
    assert found == {}

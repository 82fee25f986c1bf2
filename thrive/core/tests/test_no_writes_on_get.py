"""Reading a page writes nothing: every GET of every route, by everyone given the page.

Default rows are made when their owner is made (by its service) or shown without being
saved; a page that saved them while rendering would change the database for a reader and
race with a second reader. Sessions, sign-in records and rate-limit counts are bookkeeping,
a download is recorded in the audit log (``DownloadAuditMiddleware``), and a PDF laid out
once is kept to be served again (``StoredDocument``, a cache).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thrive.core.tests.test_routes import _client_for, _writes
from thrive.testing.forms import url_for
from thrive.testing.routes import EVERY_ACTOR, World, all_expectations

CACHES = ["core_storeddocument"]

# Pages that still write on GET, each to be fixed in its own app.
WRITES_TODAY: dict[str, str] = {
    "commissioning:notice": "records that the organisation read the notice (a read receipt)",
}


def _names() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=WRITES_TODAY[name], strict=True))
        if name in WRITES_TODAY
        else name
        for name in sorted(all_expectations())
    ]


@pytest.mark.parametrize("name", _names())
def test_reading_a_page_writes_nothing(name: str, world: World) -> None:
    expect = all_expectations()[name]
    url = url_for(name, world)
    found = {}
    for actor in [a for a in EVERY_ACTOR if expect.status_for(a) == 200]:
        client = _client_for(world.users[actor])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        writes = [sql for sql in _writes(queries, response) if not any(t in sql for t in CACHES)]
        if writes:
            found[actor] = writes
    assert found == {}

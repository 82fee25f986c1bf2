"""The open data page's counts are kept, never stale: a change to an award, once committed,
is counted on the next page, whether or not the worker has counted it again yet."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from thrive.awards.models import Award, AwardKind, AwardStatus
from thrive.awards.tests.factories import AwardFactory
from thrive.opendata import counts, tasks
from thrive.opendata.models import PublishedCounts

pytestmark = pytest.mark.django_db
_COUNTING = 'COUNT("awards_award"."id") FILTER'


@pytest.fixture
def awards(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = AwardFactory(kind=AwardKind.SMALL_GRANT)
        others = [AwardFactory(council=first.council) for _ in range(2)]
        AwardFactory(council=first.council, kind=AwardKind.CONTRACT)
    return [first, *others]


def _shown(council) -> dict:
    """The council's counts as the page shows them, and how many statements counted awards."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/open-data/")
    assert response.status_code == 200
    (item,) = [p for p in response.context["publications"] if p["council"] == council]
    counting = [q for q in queries.captured_queries if _COUNTING in q["sql"]]
    return {"grants": item["grants"], "contracts": item["contracts"], "counted": len(counting)}


def test_the_page_serves_the_counts_kept_after_each_change(awards) -> None:
    council = awards[0].council
    assert _shown(council) == {"grants": 3, "contracts": 1, "counted": 0}
    kept = PublishedCounts.objects.get(council=council)
    assert (kept.grants, kept.contracts, kept.counted) == (3, 1, kept.version)
    assert kept.updated == Award.objects.filter(council=council).latest("created_at").created_at


def test_a_committed_change_is_counted_on_the_next_page_before_the_worker_counts_it(
    awards, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    council = awards[0].council
    late = SimpleNamespace(enqueue=lambda council_id: None)  # the worker has not run yet
    monkeypatch.setattr(tasks, "keep_counts", late)
    with django_capture_on_commit_callbacks(execute=True):
        AwardFactory(council=council, kind=AwardKind.FUNDING_AGREEMENT)
    assert _shown(council) == {"grants": 4, "contracts": 1, "counted": 1}
    assert _shown(council) == {"grants": 4, "contracts": 1, "counted": 0}  # kept by that page
    with django_capture_on_commit_callbacks(execute=True):
        awards[1].status = AwardStatus.DECLINED
        awards[1].save()
    assert _shown(council)["grants"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        awards[2].delete()
    assert _shown(council) == {"grants": 2, "contracts": 1, "counted": 1}


def test_the_worker_counts_a_changed_council_again(awards, django_capture_on_commit_callbacks):
    council = awards[0].council
    with django_capture_on_commit_callbacks(execute=True):
        AwardFactory(council=council)
    assert _shown(council) == {"grants": 4, "contracts": 1, "counted": 0}


def test_a_change_not_yet_committed_is_counted_and_not_kept(awards) -> None:
    council = awards[0].council
    before = PublishedCounts.objects.get(council=council)
    AwardFactory(council=council)  # the test's transaction is still open
    assert _shown(council) == {"grants": 4, "contracts": 1, "counted": 1}
    after = PublishedCounts.objects.get(council=council)
    assert (after.grants, after.counted) == (before.grants, before.counted)


def test_a_council_without_awards_counts_nothing(awards) -> None:
    from thrive.accounts.tests.factories import CouncilFactory

    empty = CouncilFactory()
    assert _shown(empty) == {"grants": 0, "contracts": 0, "counted": 1}
    assert _shown(empty) == {"grants": 0, "contracts": 0, "counted": 0}
    assert counts.published([empty.pk])[empty.pk] == counts.NOTHING


def test_a_bulk_load_counts_again_what_it_saved_without_signals(awards) -> None:
    council = awards[0].council
    assert _shown(council)["grants"] == 3
    copy = Award.objects.get(pk=awards[1].pk)
    copy.pk, copy.reference = None, None
    Award.objects.bulk_create([copy])
    counts.recount([council.pk])
    assert _shown(council) == {"grants": 4, "contracts": 1, "counted": 0}

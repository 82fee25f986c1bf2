"""The page benchmark (``bench/pages.py``) covers every route of the route table.

Run once over the test database with one request a page, so that a page added later, or
a benchmark that no longer runs, fails here rather than in a benchmark run nobody reads.
Times are not checked: the benchmark reports them against its targets.
"""

from __future__ import annotations

from bench import pages
from thrive.testing.routes import World, all_expectations


def test_every_route_is_timed_as_each_of_its_viewers(world: World) -> None:
    rows = pages.time_pages(world, repeat=1, warm_up=False)

    expectations = all_expectations()
    assert {row.name for row in rows} == set(expectations)
    for name, expect in expectations.items():
        timed = {(row.kind, row.actor) for row in rows if row.name == name}
        assert timed >= set(pages.viewers(expect)), name
    measured = [row for row in rows if row.status is not None]
    assert measured, "no page was timed"
    for row in measured:
        assert row.status == 200, (row.label, row.note)
        assert len(row.durations) == 1 and row.median is not None and row.p95 is not None
        assert row.queries is not None, row.label
        assert row.target > 0
    unmeasured = [row for row in rows if row.status is None]
    assert all(not pages.viewers(expectations[row.name]) for row in unmeasured)


def test_table_puts_the_slowest_page_first_and_says_what_missed(world: World) -> None:
    slow = pages.PageRow("a:slow", "strategy_group", "staff", "/a/", 200, "text/html")
    slow.durations, slow.queries = [0.5, 0.4], 3
    quick = pages.PageRow("a:quick", "anonymous", "outside", "/b/?q=food", 200, "text/html")
    quick.durations, quick.queries = [0.01], 25
    post_only = pages.PageRow("a:post", "nobody", "-", note="no user may GET it (POST only)")

    lines = pages.table_lines([quick, post_only, slow])

    assert [line.split("`")[1] for line in lines[2:]] == [
        "a:slow (staff: strategy_group)",
        "a:quick ?q=food (outside: anonymous)",
        "a:post (-: nobody)",
    ]
    assert lines[2].endswith("| NO |") and lines[3].endswith("| NO |")
    assert lines[4].endswith("| no user may GET it (POST only) |")


def test_the_export_benchmark_times_the_services_exports_not_the_tests_samples(
    world: World,
) -> None:
    from thrive.core import bench as core_bench
    from thrive.core import export_registry

    # Building the route table's world registers the tests' own sample export.
    assert "core.sample" in export_registry.registered()
    keys = core_bench._service_exports()
    assert "core.sample" not in keys
    assert {"awards.register", "monitoring.returns", "organisations.register"} <= set(keys)

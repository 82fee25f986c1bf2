"""``make loadtest`` writes its tables into ``bench/results.md``: its own section replaced,
every other kept, and how the task worker ran said beside the figures."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# A surge's figures as ``bench/loadtest.py`` gives them (this machine, 2026-12-07).
RESULT = {
    "organisations": 3000,
    "seconds": 60.0,
    "elapsed": 79.1,
    "last_arrival": 59.9,
    "fault": False,
    "faults": [],
    "steps": {
        "start": {
            "n": 3000,
            "p50": 336.6763199996967,
            "p95": 419.89317899970047,
            "p99": 470.96879199989417,
            "queries": 6.001,
        },
        "save": {
            "n": 9000,
            "p50": 323.7566570001036,
            "p95": 406.5672900001118,
            "p99": 457.43817600032344,
            "queries": 3.0,
        },
        "submit": {
            "n": 3000,
            "p50": 343.52559200033284,
            "p95": 448.58111800022016,
            "p99": 474.0883549998216,
            "queries": 8.000666666666667,
        },
    },
    "rps": 189.6,
    "server_errors": 0,
    "connection_errors": 0,
    "retries": 0,
    "unexpected": [],
    "failed": 0,
    "acknowledged": 3000,
    "stored": 3000,
    "lost": 0,
    "duplicated": 0,
    "receipts_queued": 3000,
    "receipts_queued_twice": 0,
    "receipts_missing": 0,
    "receipts_done": 3000,
    "emails_sent": 3000,
    "emails_sent_twice": 0,
    "queries_per_org": 23.0,
    "commits_per_org": 14.0,
    "cpu_web_ms": 6.11,
    "cpu_db_ms": 2.48,
    "p99": 474.0883549998216,
    "p99_ok": True,
    "queries_ok": True,
    "redis": True,
    "passed": True,
}


def test_the_report_replaces_its_section_and_says_the_workers_priority(
    tmp_path, settings, monkeypatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import loadtest_report  # bench/ is not a package

    settings.THRIVE_WORKER_NICE = 7
    results = tmp_path / "results.md"
    results.write_text(
        "# Benchmark results\n\n## Scale `county, sqlite`\n\npages\n\n"
        "## Load test\n\nthe last run\n\n## After\n\nkept too\n",
        encoding="utf-8",
    )
    loadtest_report.write_results(results, [RESULT])
    text = results.read_text(encoding="utf-8")
    assert "the last run" not in text
    assert "pages" in text and "kept too" in text
    assert "the task worker (at nice 7) on PostgreSQL" in text
    assert (
        "3,000 receipts in 79.1 s (the last organisation arrived at 59.9 s), 189.6 requests/s; "
        "0 5xx" in text
    )
    assert "| submit | 3,000 | 344 | 449 | 474 | 8.0 |" in text

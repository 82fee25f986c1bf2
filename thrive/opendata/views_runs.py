"""Import run pages: what each import of another publisher's file brought in and found wrong.

The list shows every run with its counts; a run's page adds its warnings and errors counted
by kind, every problem page by page with the whole list as CSV, XLSX or ODS, and the grants
and contracts it brought in.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from thrive.core import policy
from thrive.core.exports import EXPORT_FORMATS, export_response
from thrive.opendata.models import ImportKind, ImportRun
from thrive.opendata.problems import REPORT_COLUMNS, Problem, counts_by_kind

RUNS_PER_PAGE = 50
PROBLEMS_PER_PAGE = 100
GRANTS_PER_PAGE = 50
PROBLEM_HEADERS = ["Severity", "Where", "Grant or award", "Field", "Kind", "Message"]
VIEW = "opendata.imports.view"


@policy.rule(VIEW)
def import_runs(request: HttpRequest) -> HttpResponse:
    """Every import of other publishers' files, newest first, with what it brought in."""
    runs = ImportRun.objects.select_related("imported_by").defer("problems")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "opendata/import_runs.html", {"page": page})


def _problems(run: ImportRun) -> list[Problem]:
    """The run's problems, each with every field (blank where the importer left one out).

    An OCDS problem's location is already the field's own place, so it is said as the
    import said it (the field not added again, the ocid not called a grant).
    """
    ocds = run.kind == ImportKind.OCDS
    return [
        Problem(**{name: str(problem.get(name) or "") for name in REPORT_COLUMNS}, ocds=ocds)
        for problem in run.problems or []
        if isinstance(problem, dict)
    ]


def _pager(request: HttpRequest, items: Any, param: str, label: str) -> dict[str, Any]:
    """One page of ``items`` by the ``param`` query value, with links to its neighbours that
    keep the rest of the query (each list on the page pages on its own)."""
    page = Paginator(items, GRANTS_PER_PAGE if param != "page" else PROBLEMS_PER_PAGE).get_page(
        request.GET.get(param)
    )

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        query.pop("format", None)
        return f"?{query.urlencode()}"

    return {
        "page": page,
        "label": label,
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


@policy.rule(VIEW)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One import run: its counts, its problems by kind and page by page, and its grants."""
    run = get_object_or_404(ImportRun.objects.select_related("imported_by"), pk=pk)
    problems = _problems(run)
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return export_response(
            headers=PROBLEM_HEADERS,
            rows=([getattr(p, name) for name in REPORT_COLUMNS] for p in problems),
            fmt=fmt,
            filename=f"import-{run.pk}-problems",
            title=f"Import {run.pk} problems",
        )
    grants = run.grants.select_related("recipient").order_by("grant_id").defer("data")
    contracts = run.contracts.select_related("recipient").order_by("key").defer("data")
    return render(
        request,
        "opendata/import_run.html",
        {
            "run": run,
            "by_kind": counts_by_kind(problems),
            "problem_count": len(problems),
            "problems": _pager(request, problems, "page", "Problems pages"),
            "grants": _pager(request, grants, "grants", "Grants pages"),
            "contracts": _pager(request, contracts, "contracts", "Contracts pages"),
            "formats": EXPORT_FORMATS,
        },
    )

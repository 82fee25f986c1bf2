"""Import run pages: staff see what each import brought in and every problem it found."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import (
    PASSWORD,
    CouncilFactory,
    MembershipFactory,
    staff_with_role,
)
from thrive.opendata.models import ImportKind
from thrive.opendata.tests.factories import (
    ExternalContractFactory,
    ExternalGrantFactory,
    ImportRunFactory,
)
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.testing.browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db


def problem(n: int, severity: str = "warning", kind: str = "missing-postcode") -> dict:
    return {
        "severity": severity,
        "location": f"row {n + 2}",
        "grant_id": f"360G-test-{n}",
        "field": "Recipient Org:Postal Code",
        "kind": kind,
        "message": f"Grant {n} has no postcode",
    }


@pytest.fixture
def officer():
    return staff_with_role(Role.COMMISSIONER)


@pytest.fixture
def run(officer):
    problems = [problem(n) for n in range(120)]
    problems += [problem(200, kind="bad-date"), problem(201, "error", "no-amount")]
    problems.append({**problem(202, "error", "no-amount"), "message": "=HYPERLINK(1)"})
    return ImportRunFactory(
        source_name="test-trust-2025.xlsx",
        file_format="xlsx",
        publishers=["Test Trust", "Test Foundation"],
        imported_by=officer,
        records_read=130,
        grants_created=120,
        grants_updated=3,
        organisations_created=7,
        held_for_review=2,
        errors=2,
        warnings=121,
        problems=problems,
    )


def test_the_list_shows_each_run_with_its_counts(
    client, officer, run, django_assert_max_num_queries
):
    for n in range(30):
        ImportRunFactory(source_name=f"other-{n}.json", kind=ImportKind.OCDS)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("opendata:import_runs"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "test-trust-2025.xlsx" in html and "Test Trust, Test Foundation" in html
    assert reverse("opendata:import_run", kwargs={"pk": run.pk}) in html
    assert "OCDS contracting data" in html
    row = html[html.index("test-trust-2025.xlsx") :].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    assert cells[-7:] == ["130", "120", "3", "7", "2", "2", "121"]


def test_a_run_counts_its_problems_by_kind_and_pages_them(client, officer, run):
    client.force_login(officer)
    url = reverse("opendata:import_run", kwargs={"pk": run.pk})
    response = client.get(url)
    assert response.status_code == 200
    by_kind = [(severity, kind, n) for severity, kind, n, _ in response.context["by_kind"]]
    assert by_kind == [
        ("error", "no-amount", 2),
        ("warning", "missing-postcode", 120),
        ("warning", "bad-date", 1),
    ]
    html = response.content.decode()
    assert "Download all 123 problems" in html
    assert "Grant 99 has no postcode" in html and "Grant 100 has no postcode" not in html
    second = client.get(url, {"page": 2}).content.decode()
    assert "Grant 100 has no postcode" in second and "Grant 99 has no postcode" not in second


def test_every_problem_downloads_as_csv_xlsx_and_ods(client, officer, run):
    client.force_login(officer)
    url = reverse("opendata:import_run", kwargs={"pk": run.pk})
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Severity,Where,Grant or award,Field,Kind,Message"
    assert len(lines) == 124
    assert lines[-1].endswith("'=HYPERLINK(1)")
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 124 and sheet["F124"].value == "=HYPERLINK(1)"
    assert sheet["F124"].data_type == "s"
    ods = client.get(url, {"format": "ods"})
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"


def test_a_run_links_to_the_grants_and_contracts_it_brought_in(
    client, officer, run, django_assert_max_num_queries
):
    organisations = [OrganisationFactory(name=f"Club {n}") for n in range(60)]
    for organisation in organisations:
        ExternalGrantFactory(recipient=organisation, import_run=run)
    ExternalGrantFactory(recipient=None, recipient_name="Held Club", import_run=run)
    supplier = OrganisationFactory(name="Day Care Ltd")
    ExternalContractFactory(recipient=supplier, import_run=run)
    client.force_login(officer)
    url = reverse("opendata:import_run", kwargs={"pk": run.pk})
    with django_assert_max_num_queries(14):
        response = client.get(url)
    html = response.content.decode()
    assert "61 grants, page 1 of 2" in html
    assert reverse("organisations:detail", args=[organisations[0].pk]) in html
    assert reverse("organisations:detail", args=[supplier.pk]) in html
    assert "1 contract award," in html
    last = client.get(url, {"grants": 2, "page": 2}).content.decode()
    assert "Held Club" in last and "Held for review" in last
    assert "page=2" in last and "grants=1" in last  # the pages of each list keep the other


def test_only_staff_see_import_runs(client, run):
    url = reverse("opendata:import_run", kwargs={"pk": run.pk})
    assert client.get(url).status_code == 302
    member = MembershipFactory()
    client.force_login(member.user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("opendata:import_runs")).status_code == 403
    other = staff_with_role(Role.ASSESSOR, council=CouncilFactory(name="Eastshire", slug="e"))
    client.force_login(other)
    assert client.get(url).status_code == 200
    assert client.get(url + "?page=oops").status_code == 200
    missing = reverse("opendata:import_run", kwargs={"pk": run.pk + 999})
    assert client.get(missing).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_run_pages_are_accessible(live_server, page) -> None:
    officer = staff_with_role(Role.COMMISSIONER)
    run = ImportRunFactory(
        source_name="test-trust.json",
        imported_by=officer,
        problems=[problem(n) for n in range(150)] + [problem(999, "error", "no-amount")],
        warnings=150,
        errors=1,
    )
    ExternalGrantFactory(recipient=OrganisationFactory(name="Lunch Club"), import_run=run)
    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Imports of other publishers' data").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Imports of other publishers' data"
    assert_accessible(page)
    page.get_by_role("link", name="test-trust.json").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import of test-trust.json"
    assert_accessible(page)
    page.get_by_role("navigation", name="Problems pages").get_by_role("link").first.click()
    assert "page=2" in page.url
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of the problems").click()
    assert download.value.suggested_filename.startswith(f"import-{run.pk}-problems")

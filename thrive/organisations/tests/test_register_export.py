"""The register's export: the filtered register's rows, read a chunk at a time."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.awards.models import AwardStatus
from thrive.awards.tests.factories import AwardFactory
from thrive.core.models import ExportJob
from thrive.opendata.tests.factories import ExternalGrantFactory
from thrive.organisations import selectors
from thrive.organisations.models import (
    CharityRegisterCheck,
    LegalForm,
    Organisation,
    RegisterStatus,
    TestOutcome,
)
from thrive.organisations.selectors import RegisterFilters
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory
from thrive.organisations.views import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(commissioner):
    """Nine organisations with every column filled in some way, and one left blank."""
    for n in range(9):
        org = OrganisationFactory(
            name=f"Org {n % 3} {n}",
            other_names="Alpha\nBeta" if n % 2 else "",
            legal_form=LegalForm.CHARITY if n % 3 else LegalForm.CIO,
            town="Ashbourne" if n % 2 else "",
            website=f"https://org{n}.example" if n % 4 == 0 else "",
            latest_income_pence=123_456 * n if n % 3 else None,
            latest_income_year=2025 if n % 3 else None,
            third_sector_outcome=TestOutcome.MEETS if n % 2 else TestOutcome.NOT_ASSESSED,
        )
        for _ in range(n % 3):
            IdentifierFactory(organisation=org)
        if n % 4 == 1:
            AwardFactory(organisation=org, council=commissioner.council)
        if n % 3 == 2:
            ExternalGrantFactory(recipient=org)
        if n % 5 == 0:
            CharityRegisterCheck.objects.create(
                organisation=org,
                charity_number=f"19003{n:02d}",
                extract_date="2026-12-01",
                status=RegisterStatus.REMOVED if n else RegisterStatus.REGISTERED,
                register_name=f"Other name {n}",
                name_differs=not n,
            )
        if n == 0:  # a second check, first by number: not found, and its name is the one shown
            CharityRegisterCheck.objects.create(
                organisation=org,
                charity_number="1000000",
                extract_date="2026-12-01",
                status=RegisterStatus.NOT_FOUND,
                register_name="Earlier name",
                name_differs=True,
            )
    OrganisationFactory(name="Blank Trust")


def _reference_row(org) -> list:
    """An organisation's export row, from its whole model as the page shows it."""
    return [
        org.pk,
        org.name,
        "; ".join(org.other_names_list),
        org.get_legal_form_display(),
        "; ".join(i.org_id for i in org.identifiers.all()),
        org.postcode,
        org.town,
        org.website,
        org.email,
        org.get_size_band_display(),
        org.latest_income_pence / 100 if org.latest_income_pence is not None else "",
        org.latest_income_year or "",
        org.get_third_sector_outcome_display(),
        "yes" if org.funded else "no",
        org.get_source_display(),
        "yes" if org.funded_by_others else "no",
        "; ".join(flag["message"] for flag in selectors.register_flags(org)),
    ]


def _reference(user, filters: RegisterFilters) -> list[list[str]]:
    """The rows as the export made them by reading each whole organisation in turn."""
    organisations = selectors.organisations_for_user(user=user, filters=filters)
    rows = [_reference_row(org) for org in organisations]
    out = io.StringIO()
    csv.writer(out).writerows([register.EXPORT_HEADERS, *rows])
    return list(csv.reader(io.StringIO(out.getvalue())))


def _exported(client, **params) -> list[list[str]]:
    response = client.get(reverse("organisations:export"), {"format": "csv", **params})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("params", [{}, {"legal_form": "charity"}, {"funded": "yes"}])
def test_the_export_holds_every_filtered_row_and_column_as_before(
    client, commissioner, world, params
) -> None:
    client.force_login(commissioner)
    filters = RegisterFilters(**params)

    rows = _exported(client, **params)

    assert rows == _reference(commissioner, filters)
    if not params:
        flags = {row[1]: row[16] for row in rows[1:]}
        assert flags["Org 0 0"] == (
            "Not on the charity register; Name differs on the charity register: "
            "registered as Earlier name"
        )
        assert flags["Org 2 5"] == "Removed from the charity register"
    assert len(rows) == 1 + {"": 10, "charity": 6, "yes": 2}[next(iter(params.values()), "")]
    assert AuditEvent.objects.filter(action="organisations.register.exported").count() == 1


@pytest.mark.parametrize(
    ("params", "count"),
    [({"funded": "no"}, 8), ({"funded_by_others": "yes"}, 3), ({"funded_by_others": "no"}, 7)],
)
def test_the_funded_filters_keep_the_rows_and_columns_as_before(
    client, commissioner, world, params, count
) -> None:
    client.force_login(commissioner)

    rows = _exported(client, **params)

    assert rows == _reference(commissioner, RegisterFilters(**params))
    assert len(rows) == 1 + count


def test_funded_counts_the_readers_council_and_any_council_for_an_administrator(
    client, commissioner, world
) -> None:
    eastvale = staff_with_role(
        Role.COMMISSIONER, council=CouncilFactory(name="Eastvale Borough Council", slug="east")
    )
    administrator = staff_with_role(Role.SYSTEM_ADMIN)
    blank = Organisation.objects.get(name="Blank Trust")
    AwardFactory(organisation=blank, council=eastvale.council)
    AwardFactory(organisation=blank, council=commissioner.council, status=AwardStatus.DRAFT)

    funded = {}
    for user in (commissioner, eastvale, administrator):
        client.force_login(user)
        rows = _exported(client)
        assert rows == _reference(user, RegisterFilters())
        funded[user] = {row[1] for row in rows[1:] if row[13] == "yes"}

    assert funded[commissioner] == {"Org 1 1", "Org 2 5"}
    assert funded[eastvale] == {"Blank Trust"}
    assert funded[administrator] == {"Org 1 1", "Org 2 5", "Blank Trust"}


def test_the_export_reads_the_same_few_queries_however_many_rows(
    client, commissioner, world
) -> None:
    client.force_login(commissioner)
    _exported(client)  # the session and the like are read once
    with CaptureQueriesContext(connection) as few:
        _exported(client, legal_form="cio")
    with CaptureQueriesContext(connection) as many:
        _exported(client)
    assert len(many.captured_queries) == len(few.captured_queries)
    # the page's session and user, counting, the rows, the audit of the export and download
    assert len(many.captured_queries) <= 20


def test_an_export_over_the_inline_limit_is_made_in_the_background(
    client, commissioner, world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.THRIVE_EXPORT_INLINE_ROWS = 5
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("organisations:export"), {"format": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert (job.key, job.status, job.row_count) == ("organisations.register", "ready", 10)

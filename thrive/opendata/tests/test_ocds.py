"""OCDS release package: valid against the official schema and codelists, one release per
stage, streamed with ETags, and never a word of a sealed bid."""

from __future__ import annotations

import filecmp
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from thrive.applications.tests.factories import BidOpeningFactory, SubmittedApplicationFactory
from thrive.awards.models import Award, AwardKind, AwardStatus, AwardTarget, Instalment
from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.opendata import ocds, publishing, standards
from thrive.opportunities.models import Opportunity, OpportunityKind
from thrive.opportunities.tests.factories import CriterionFactory, LotFactory, TenderFactory
from thrive.organisations.tests.factories import OrganisationFactory

SHARED = Path(__file__).resolve().parents[4] / "shared" / "standards"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="the reference standards folder")
# The council's reference copy when it is beside the project; otherwise the copy shipped in
# thrive/opendata/standards, which ``test_shipped_*`` holds byte for byte to be the official
# files wherever the reference copy is present. Never a schema written here.
REFERENCE = SHARED if SHARED.is_dir() else None
UK_PROFILE = "ocds/profile-uk-cdp/release-schema.json"

pytestmark = pytest.mark.django_db

SECRET = "Our secret price breakdown: 41 hours at £17.20"


def _seeded(scale: str = "demo"):
    ctx = run_seed(SeedContext(scale=SCALES[scale], random_seed=5, show_progress=False))
    return ctx.data["council"]


def _package(council) -> dict:
    return json.loads(b"".join(ocds.iter_json(council)))


def _assert_valid(package: dict) -> None:
    """Against the council's reference copy of OCDS 1.1.5 (Draft 4), never our own."""
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in standards.ocds_package_validator(REFERENCE).iter_errors(package)
    ]
    assert errors == []
    if REFERENCE:  # and the UK profile (core with the UK extensions) the package declares
        profile = standards.ocds_package_validator(REFERENCE, UK_PROFILE)
        assert [e.message for e in profile.iter_errors(package)] == []
    releases = package["releases"]
    problems = [p for r in releases for p in standards.ocds_codelist_problems(r, REFERENCE)]
    assert problems == []


def _award_through(through: Opportunity, **changes) -> Award:
    """A contract decided through the opportunity: in force, one instalment paid, a target."""
    opportunity = through
    fields = {
        "organisation": OrganisationFactory(name="Riverside Carers"),
        "council": opportunity.council,
        "directorate": opportunity.directorate,
        "kind": AwardKind.CONTRACT,
        "title": "Carers support, north",
        "amount_pence": 12_000_000,
        "start_date": date(2026, 4, 1),
        "end_date": date(2029, 3, 31),
        "status": AwardStatus.ACTIVE,
        "opportunity": opportunity,
        "lot": opportunity.lots.first(),
        "offered_at": timezone.now() - timedelta(days=20),
        "accepted_at": timezone.now() - timedelta(days=10),
    }
    fields.update(changes)
    award = Award.objects.create(**fields)
    Instalment.objects.create(
        award=award,
        number=1,
        due_date=date(2026, 4, 1),
        amount_pence=4_000_000,
        paid_at=timezone.now() - timedelta(days=5),
    )
    Instalment.objects.create(
        award=award, number=2, due_date=date(2027, 4, 1), amount_pence=8_000_000
    )
    AwardTarget.objects.create(
        award=award, description="Carers supported", unit="people", target_value=300
    )
    return award


@needs_shared
def test_shipped_ocds_standard_is_the_official_files() -> None:
    shipped = standards.standards_dir() / "ocds"
    for relative in ["release-package-schema.json", "release-schema.json"]:
        assert filecmp.cmp(shipped / relative, SHARED / "ocds" / relative, shallow=False)
    for path in (SHARED / "ocds" / "codelists").glob("*.csv"):
        assert filecmp.cmp(shipped / "codelists" / path.name, path, shallow=False)


def test_demo_package_is_valid_ocds_with_a_release_for_every_stage() -> None:
    council = _seeded("demo")
    tender = Opportunity.objects.filter(council=council, kind=OpportunityKind.TENDER).first()
    award = _award_through(tender)
    package = _package(council)
    _assert_valid(package)
    releases = package["releases"]
    assert len({(r["ocid"], r["id"]) for r in releases}) == len(releases)
    by_tag: dict[str, list[dict]] = {}
    for release in releases:
        by_tag.setdefault(release["tag"][0], []).append(release)
    assert {"planning", "tender", "award", "contract", "implementation"} <= set(by_tag)
    prefix = publishing.publisher_for(council).ocid_prefix
    assert all(r["ocid"].startswith(f"{prefix}-") for r in releases)
    ocid = f"{prefix}-{tender.reference}"
    stages = {r["tag"][0]: r for r in releases if r["ocid"] == ocid}
    assert set(stages) == {"tender", "award", "contract", "implementation"}
    tendered = stages["tender"]["tender"]
    assert [lot["id"] for lot in tendered["lots"]] == ["1", "2"]
    assert "Quality: 50%" in tendered["awardCriteriaDetails"]
    assert tendered["tenderPeriod"]["endDate"]
    awarded = stages["award"]["awards"][0]
    assert awarded["id"] == award.reference and awarded["relatedLots"] == ["1"]
    assert awarded["value"] == {"amount": 120000, "currency": "GBP"}
    implementation = stages["implementation"]["contracts"][0]["implementation"]
    assert [t["value"]["amount"] for t in implementation["transactions"]] == [40000]
    types = [m["type"] for m in implementation["milestones"]]
    assert types == ["payment", "payment", "delivery"]
    assert implementation["milestones"][0]["status"] == "met"


def test_a_direct_award_is_published_as_its_own_process() -> None:
    council = _seeded("demo")
    tender = Opportunity.objects.filter(council=council, kind=OpportunityKind.TENDER).first()
    direct = _award_through(tender, opportunity=None, lot=None, title="Emergency winter support")
    package = _package(council)
    _assert_valid(package)
    ocid = f"{publishing.publisher_for(council).ocid_prefix}-{direct.reference}"
    stages = {r["tag"][0]: r for r in package["releases"] if r["ocid"] == ocid}
    assert set(stages) == {"award", "contract", "implementation"}
    tendered = stages["award"]["tender"]
    assert (tendered["procurementMethod"], tendered["status"]) == ("direct", "complete")
    assert stages["award"]["awards"][0]["title"] == "Emergency winter support"
    assert stages["contract"]["contracts"][0]["awardID"] == direct.reference


def test_county_package_is_valid_ocds() -> None:
    package = _package(_seeded("county"))
    assert len(package["releases"]) > 10
    _assert_valid(package)


def test_opportunities_point_back_to_their_intention(settings) -> None:
    council = _seeded("demo")
    package = _package(council)
    planning = {r["ocid"] for r in package["releases"] if r["tag"] == ["planning"]}
    linked = [
        p["identifier"]
        for r in package["releases"]
        for p in r.get("relatedProcesses", [])
        if p["relationship"] == ["planning"]
    ]
    assert set(linked) <= planning


def test_ocid_prefix_is_the_publishers() -> None:
    council = _seeded("demo")
    publisher = publishing.publisher_for(council)
    publisher.ocid_prefix = "ocds-zz9zz9"
    publisher.save()
    package = _package(council)
    assert all(r["ocid"].startswith("ocds-zz9zz9-") for r in package["releases"])


def _leaks(package: dict, *texts: str) -> list[str]:
    blob = json.dumps(package)
    return [text for text in texts if text in blob]


def test_sealed_bids_never_leak_and_are_counted_only_after_opening() -> None:
    now = timezone.now()
    tender = TenderFactory(opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=5))
    LotFactory(opportunity=tender)
    CriterionFactory(opportunity=tender, title="Quality", weight=60)
    bidder = OrganisationFactory(name="Hidden Bidder Trust")
    SubmittedApplicationFactory(
        opportunity=tender,
        organisation=bidder,
        answers={"price": SECRET},
        amount_requested_pence=1_234_567,
    )
    release = next(r for r in _package(tender.council)["releases"] if r["tag"] == ["tender"])
    assert "numberOfTenderers" not in release["tender"]
    assert _leaks(_package(tender.council), SECRET, bidder.name, "12345.67") == []

    Opportunity.objects.filter(pk=tender.pk).update(closes_at=now - timedelta(minutes=1))
    closed = _package(tender.council)
    assert "numberOfTenderers" not in closed["releases"][0]["tender"], "closed but not opened"

    BidOpeningFactory(opportunity=tender, opened_by=_staff(tender.council), bids_opened=1)
    opened = _package(tender.council)
    assert opened["releases"][0]["tender"]["numberOfTenderers"] == 1
    assert "tenderers" not in opened["releases"][0]["tender"]
    assert _leaks(opened, SECRET, bidder.name, "12345.67") == []


def _staff(council):
    from thrive.accounts.tests.factories import UserFactory

    return UserFactory()


def test_draft_awards_and_small_grants_are_not_published() -> None:
    council = _seeded("demo")
    tender = Opportunity.objects.filter(council=council, kind=OpportunityKind.TENDER).first()
    _award_through(tender, status=AwardStatus.DRAFT, title="Not yet decided")
    package = _package(council)
    assert _leaks(package, "Not yet decided") == []
    assert not any(r["tag"] == ["award"] for r in package["releases"] if "small" in r["id"])


def test_api_streams_the_package_with_etag_and_caching(client) -> None:
    council = _seeded("demo")
    url = f"/api/v1/opendata/ocds.json?council={council.slug}"
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Cache-Control"] == "public, max-age=300"
    package = json.loads(b"".join(response.streaming_content))
    assert package["version"] == "1.1" and package["releases"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    tender = Opportunity.objects.filter(council=council, kind=OpportunityKind.TENDER).first()
    _award_through(tender)
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_api_unknown_council_and_openapi(client) -> None:
    response = client.get("/api/v1/opendata/ocds.json?council=nowhere")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    operation = client.get("/api/openapi.json").json()["paths"]["/api/v1/opendata/ocds.json"]
    assert {"200", "304", "404"} <= set(operation["get"]["responses"])


def test_export_command_writes_the_package(tmp_path, capsys) -> None:
    council = _seeded("demo")
    output = tmp_path / "ocds.json"
    call_command("export", "ocds", "--output", str(output), "--council", council.slug)
    package = json.loads(output.read_bytes())
    assert len(package["releases"]) == len(_package(council)["releases"])
    assert "OCDS releases" in capsys.readouterr().out

"""OCDS for UK buyers: released extensions, suppliers' organisation identifiers, the UK
profile's threshold and regime fields, and no package under a made-up site address."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thrive.accounts.tests.factories import CouncilFactory
from thrive.awards.models import AwardKind
from thrive.awards.tests.factories import AwardFactory
from thrive.commissioning.models import Method, MethodDecision, Regime, Route, ServiceType
from thrive.commissioning.tests.factories import IntentionFactory
from thrive.opendata import checks, ocds, standards
from thrive.opportunities.tests.factories import TenderFactory
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory
from thrive.strategy.defaults import ensure_default_thresholds

SHARED = Path(__file__).resolve().parents[4] / "shared" / "standards"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="the reference standards folder")
REFERENCE = SHARED if SHARED.is_dir() else None
UK_PROFILE = "ocds/profile-uk-cdp/release-schema.json"
LIGHT_TOUCH_2026 = 66_354_000  # £663,540, NOTES.md, for procurements started in 2026

pytestmark = pytest.mark.django_db


def _package(council) -> dict:
    return json.loads(b"".join(ocds.iter_json(council)))


def _errors(package: dict, release_schema: str = "ocds/release-schema.json") -> list[str]:
    validator = standards.ocds_package_validator(REFERENCE, release_schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(package)
    ]


def _tender(council, service_type: str, regime: str, route: str, value_pence: int):
    intention = IntentionFactory(council=council)
    MethodDecision.objects.create(
        intention=intention,
        service_type=service_type,
        recommended_method=Method.CONTRACT,
        recommended_route=route,
        recommended_regime=regime,
        value_pence=value_pence,
    )
    return TenderFactory(
        council=council,
        directorate=intention.directorate,
        intention=intention,
        value_pence=value_pence,
    )


def _tender_of(package: dict, reference: str) -> dict:
    (release,) = [r for r in package["releases"] if r["tender"].get("id") == reference]
    return release["tender"]


def test_every_extension_is_pinned_to_a_release_and_the_uk_extension_is_declared() -> None:
    package = _package(CouncilFactory())
    assert ocds.UK_EXTENSION in package["extensions"]
    for url in package["extensions"]:
        assert "/master/" not in url and "/main/" not in url, url


@needs_shared
def test_thresholds_and_the_light_touch_regime_are_published_where_known() -> None:
    ensure_default_thresholds()
    council = CouncilFactory()
    social = _tender(
        council, ServiceType.SOCIAL, Regime.PROCUREMENT_ACT, Route.LIGHT_TOUCH, LIGHT_TOUCH_2026
    )
    below = _tender(
        council,
        ServiceType.SOCIAL,
        Regime.PROCUREMENT_ACT,
        Route.BELOW_THRESHOLD_TENDER,
        LIGHT_TOUCH_2026 - 100,
    )
    goods = _tender(
        council,
        ServiceType.GOODS_SERVICES,
        Regime.PROCUREMENT_ACT,
        Route.OPEN_TENDER,
        21_000_000,
    )
    health = _tender(council, ServiceType.HEALTH_CARE, Regime.PSR, Route.PSR, 90_000_000)
    package = _package(council)
    assert _errors(package) == []
    assert _errors(package, UK_PROFILE) == []
    assert _tender_of(package, social.reference)["aboveThreshold"] is True
    assert _tender_of(package, social.reference)["specialRegime"] == ["lightTouch"]
    assert _tender_of(package, below.reference)["aboveThreshold"] is False
    assert "specialRegime" not in _tender_of(package, below.reference)
    assert _tender_of(package, goods.reference)["aboveThreshold"] is True
    assert "specialRegime" not in _tender_of(package, goods.reference)
    assert "aboveThreshold" not in _tender_of(package, health.reference)


@needs_shared
def test_suppliers_carry_their_register_identifiers() -> None:
    council = CouncilFactory()
    supplier = OrganisationFactory(name="Riverside Carers")
    IdentifierFactory(organisation=supplier, scheme="GB-CHC", value="1199991")
    IdentifierFactory(organisation=supplier, scheme="GB-COH", value="09999991")
    AwardFactory(council=council, organisation=supplier, kind=AwardKind.CONTRACT)
    package = _package(council)
    assert _errors(package) == []
    parties = [p for r in package["releases"] for p in r["parties"] if "supplier" in p["roles"]]
    assert parties
    for party in parties:
        assert party["id"] == "GB-CHC-1199991"
        assert party["identifier"] == {"scheme": "GB-CHC", "id": "1199991"}
        assert party["additionalIdentifiers"] == [{"scheme": "GB-COH", "id": "09999991"}]


def test_the_package_names_the_configured_site(settings) -> None:
    settings.THRIVE_SITE_URL = "https://thrive.example.gov.uk"
    package = _package(CouncilFactory(slug="eastshire"))
    assert package["uri"].startswith("https://thrive.example.gov.uk/api/v1/opendata/ocds.json")
    assert package["publisher"]["uri"].startswith("https://thrive.example.gov.uk/")


def test_without_a_site_address_ocds_is_refused_everywhere(settings, client, tmp_path) -> None:
    settings.THRIVE_SITE_URL_UNSET = True
    council = CouncilFactory()
    response = client.get(f"/api/v1/opendata/ocds.json?council={council.slug}")
    assert response.status_code == 503
    assert response.json()["code"] == "site_address_missing"
    assert "THRIVE_SITE_URL" in response.json()["message"]
    page = client.get("/open-data/").content.decode()
    assert "not published until the service&#x27;s web address is set" in page
    assert "/api/v1/opendata/ocds.json" not in page
    assert "/api/v1/opendata/360giving.json" in page
    with pytest.raises(CommandError, match="THRIVE_SITE_URL"):
        call_command("export", "ocds", "--output", str(tmp_path / "o.json"))
    assert not (tmp_path / "o.json").exists()
    (warning,) = checks.site_address_set()
    assert warning.id == "opendata.W001"


def test_with_a_site_address_nothing_is_refused(settings, client) -> None:
    settings.THRIVE_SITE_URL_UNSET = False
    council = CouncilFactory()
    assert client.get(f"/api/v1/opendata/ocds.json?council={council.slug}").status_code == 200
    assert checks.site_address_set() == []
    assert "/api/v1/opendata/ocds.json" in client.get("/open-data/").content.decode()


def test_the_openapi_document_declares_the_refusal(client) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/api/v1/opendata/ocds.json"]
    assert "503" in operation["get"]["responses"]


@pytest.mark.parametrize(
    ("environment", "unset"),
    [
        ({"THRIVE_ENV": "production", "SECRET_KEY": "x" * 50}, True),
        (
            {
                "THRIVE_ENV": "production",
                "SECRET_KEY": "x" * 50,
                "THRIVE_SITE_URL": "https://thrive.example.gov.uk",
            },
            False,
        ),
        ({"THRIVE_ENV": "development", "DEBUG": "false"}, True),
        ({"THRIVE_ENV": "development"}, False),
    ],
)
def test_production_settings_without_a_site_address_are_marked(environment, unset) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("THRIVE_SITE_URL", "DEBUG")}
    env.update(environment)
    found = subprocess.run(
        [sys.executable, "-c", "import thrive.settings as s; print(s.THRIVE_SITE_URL_UNSET)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == str(unset)

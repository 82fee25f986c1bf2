"""Report figures are kept between requests and never shown once what they count changes."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.awards import services as award_services
from thrive.awards.models import AwardStatus, AwardYear
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory, make_award
from thrive.core.models import Area
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.reporting import funders, kept, selectors
from thrive.reporting.models import FiguresVersion, KeptFigures
from thrive.reporting.selectors import Filters, investment

pytestmark = pytest.mark.django_db
investment_module = importlib.import_module("thrive.reporting.selectors.investment")

TOTAL = '<dd class="govuk-summary-list__value" id="total-awarded">{}</dd>'


def settle() -> None:
    """Move on the versions the test's open transaction holds back, as its commit would."""
    for _, func, _ in transaction.get_connection().run_on_commit:
        if hasattr(func, "kept_figures"):
            func()


@pytest.fixture
def counted(monkeypatch):
    """How many times the dashboard's figures were added up afresh."""
    calls = []
    real = investment_module.count_investment

    def counting(filters):
        calls.append(filters)
        return real(filters)

    monkeypatch.setattr(investment_module, "count_investment", counting)
    return calls


@pytest.fixture
def award(council, strategy):
    adults = DirectorateFactory(council=council, code="adults", name="Adult Social Care")
    made = AwardFactory(council=council, directorate=adults, amount_pence=600_000,
                        start_date=date(2025, 5, 1), end_date=date(2028, 4, 30),
                        years={2025: 200_000, 2026: 200_000, 2027: 200_000})  # fmt: skip
    settle()
    return made


def test_the_dashboard_is_added_up_once_and_then_served_as_kept(
    strategy, award, counted, django_assert_max_num_queries
) -> None:
    first = strategy.get("/reports/")
    assert TOTAL.format("£6,000.00") in first.content.decode()
    assert len(counted) == 1
    with django_assert_max_num_queries(14):
        again = strategy.get("/reports/")
    assert TOTAL.format("£6,000.00") in again.content.decode()
    assert len(counted) == 1  # nothing added up again


def test_a_change_to_an_award_shows_at_once(
    strategy, award, counted, django_capture_on_commit_callbacks
) -> None:
    strategy.get("/reports/")
    part = AwardYear.objects.get(award=award, start_year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        part.amount_pence = 450_000
        part.save()
    assert TOTAL.format("£8,500.00") in strategy.get("/reports/").content.decode()
    assert len(counted) == 2


def test_a_change_not_yet_committed_is_read_from_the_tables(strategy, award, counted) -> None:
    strategy.get("/reports/")
    AwardYear.objects.filter(award=award, start_year=2027).delete()  # still in the transaction
    assert TOTAL.format("£4,000.00") in strategy.get("/reports/").content.decode()
    kept_figures = KeptFigures.objects.get(key__startswith="investment:None:None")
    assert kept_figures.data["total_pence"] == 600_000  # nothing kept from the change


def test_an_approved_variation_and_a_payment_move_the_figures_on(
    council, counted, django_capture_on_commit_callbacks
) -> None:
    commissioner = staff_with_role(Role.COMMISSIONER, council=council)
    finance = staff_with_role(Role.FINANCE_OFFICER, council=council)
    award = make_award(commissioner, OrganisationFactory(), status=AwardStatus.ACTIVE)
    settle()
    assert investment(Filters(council)).total_pence == 1_200_000
    with django_capture_on_commit_callbacks(execute=True):
        variation = award_services.request_variation(
            award=award, actor=commissioner, kind="value", new_amount_pence=1_500_000, reason="More"
        )
        award_services.decide_variation(variation=variation, actor=finance, approve=True)
    assert investment(Filters(council)).total_pence == 1_500_000
    version = FiguresVersion.objects.get(council=council).version
    with django_capture_on_commit_callbacks(execute=True):
        award_services.record_payment(instalment=award.instalments.first(), actor=finance)
    assert FiguresVersion.objects.get(council=council).version > version
    assert len(counted) == 2  # the payment changed no figure shown; read again when asked


def test_a_change_moves_only_its_own_councils_figures(
    council, award, django_capture_on_commit_callbacks
) -> None:
    other = CouncilFactory(name="Eastvale", slug="eastvale")
    settle()
    for each in (council, other):
        kept.figures(each.pk, "test", lambda: 1, dump=int, load=int)
    before = dict(FiguresVersion.objects.values_list("council_id", "version"))
    with django_capture_on_commit_callbacks(execute=True):
        award.title = "Renamed"
        award.save()
        award.save()  # one move however many records change
    after = dict(FiguresVersion.objects.values_list("council_id", "version"))
    assert after == {council.pk: before[council.pk] + 1, other.pk: before[other.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        award.organisation.save()  # shared by every council
    assert dict(FiguresVersion.objects.values_list("council_id", "version")) == {
        council.pk: before[council.pk] + 2,
        other.pk: before[other.pk] + 1,
    }


def test_figures_kept_under_an_older_version_are_never_served(
    council, django_capture_on_commit_callbacks
) -> None:
    settle()
    assert kept.figures(council.pk, "test", lambda: 1, dump=int, load=int) == 1
    assert kept.figures(council.pk, "test", lambda: 2, dump=int, load=int) == 1  # kept
    with django_capture_on_commit_callbacks(execute=True):
        kept.changed([council.pk])
    assert kept.figures(council.pk, "test", lambda: 3, dump=int, load=int) == 3


def test_who_funds_whom_shows_another_councils_change_at_once(
    council, django_capture_on_commit_callbacks
) -> None:
    here = Area.objects.create(council=council, name="Brackenford", gss_code="E07000302")
    club = OrganisationFactory(name="Brackenford Lunch Club")
    club.areas.add(here)
    AwardFactory(organisation=club, council=council, years={2025: 100_000})
    eastshire = CouncilFactory(name="Eastshire Council", slug="eastshire")
    theirs = AwardFactory(organisation=club, council=eastshire, years={2025: 20_000})
    settle()

    def totals() -> dict[str, int]:
        found = funders.who_funds_whom(funders.FunderFilters(council))
        return {row.funder: row.amount_pence for row in found.totals}

    assert totals() == {"Westshire County Council": 100_000, "Eastshire Council": 20_000}
    assert KeptFigures.objects.filter(council=council, key__startswith="funders:").exists()
    with django_capture_on_commit_callbacks(execute=True):
        AwardYear.objects.filter(award=theirs).update(amount_pence=35_000)
        theirs.save()  # the awards services save the award with its parts
    assert totals() == {"Westshire County Council": 100_000, "Eastshire Council": 35_000}


def test_after_a_change_the_worker_adds_the_figures_up_again_for_the_next_page(
    strategy, award, counted, settings, django_capture_on_commit_callbacks
) -> None:
    settings.THRIVE_PREBUILD_REPORTS = True
    part = AwardYear.objects.get(award=award, start_year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        part.amount_pence = 450_000
        part.save()
    assert counted  # added up in the background (tasks run at once in tests)
    before = len(counted)
    assert TOTAL.format("£8,500.00") in strategy.get("/reports/").content.decode()
    assert len(counted) == before  # the page read them kept


def test_a_monitoring_return_shows_at_once_without_adding_the_money_up_again(
    council, award, counted, django_capture_on_commit_callbacks
) -> None:
    from thrive.monitoring.models import MonitoringPlan, MonitoringReturn

    plan = MonitoringPlan.objects.create(
        council=council, organisation=award.organisation, lead_directorate=award.directorate,
        schedule="quarterly", return_size="standard",
        start_date=date(2025, 5, 1), end_date=date(2028, 4, 30),
    )  # fmt: skip
    settle()
    assert investment(Filters(council)).compliance.due == 0
    assert selectors.indicators(council).ni6 == []
    with django_capture_on_commit_callbacks(execute=True):
        MonitoringReturn.objects.create(
            plan=plan, period_start=date(2025, 5, 1), period_end=date(2025, 7, 31),
            due_date=date(2025, 8, 28), status="submitted", volunteers_count=7,
            first_submitted_at=timezone.now(), submitted_at=timezone.now(),
        )  # fmt: skip
    assert investment(Filters(council)).compliance.due == 1
    (year,) = selectors.indicators(council).ni6
    assert (year.label, year.volunteers) == ("2025/26", 7)
    assert len(counted) == 1  # the money and its tables were served as kept


def test_a_change_to_an_award_shows_at_once_without_counting_ni6_again(
    council, award, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    indicators_module = importlib.import_module("thrive.reporting.selectors.indicators")
    real, ni6_counted = indicators_module.count_ni6, []
    monkeypatch.setattr(
        indicators_module, "count_ni6", lambda council: ni6_counted.append(1) or real(council)
    )
    selectors.indicators(council)
    assert investment(Filters(council)).total_pence == 600_000
    with django_capture_on_commit_callbacks(execute=True):
        AwardYear.objects.filter(award=award, start_year=2027).delete()
    assert investment(Filters(council)).total_pence == 400_000
    selectors.indicators(council)
    assert len(ni6_counted) == 1


def test_after_a_change_the_worker_keeps_this_years_annual_report_too(
    strategy, award, monkeypatch, settings, django_capture_on_commit_callbacks
) -> None:
    from thrive.reporting.selectors.common import current_year

    settings.THRIVE_PREBUILD_REPORTS = True
    with django_capture_on_commit_callbacks(execute=True):
        AwardYear.objects.filter(award=award, start_year=2027).delete()
    added_up = []
    for module, name in (("outcomes", "count_outcomes"), ("annual", "return_concerns"),
                         ("investment", "count_investment")):  # fmt: skip
        found = importlib.import_module(f"thrive.reporting.selectors.{module}")
        monkeypatch.setattr(found, name, lambda *args, name=name: added_up.append(name))
    response = strategy.get(f"/reports/annual/{current_year()}/")
    assert response.status_code == 200
    assert added_up == []  # every figure read kept

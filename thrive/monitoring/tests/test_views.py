"""Monitoring pages: the provider fills in and submits, the officer decides, staff overviews."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.urls import reverse

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.awards.tests.factories import AwardFactory, DirectorateFactory
from thrive.monitoring import selectors, services
from thrive.monitoring.models import MonitoringTier, Rating, ReturnStatus
from thrive.monitoring.tests.factories import award_with_plan, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    award, plan = award_with_plan(amount_pence=30_000_00)
    member = MembershipFactory(organisation=award.organisation, is_admin=True).user
    officer = staff_with_role(Role.COMMISSIONER, council=award.council)
    officer.role_assignments.update(directorate=award.directorate)
    return award, plan, member, officer


def _answers(plan, **extra):
    award = plan.awards.get()
    target = award.targets.get()
    return {
        f"spend_{award.pk}": "1,250.50",
        f"progress_{target.pk}": "40",
        f"comment_{target.pk}": "",
        "volunteers_count": "3",
        "volunteer_hours": "60",
        "narrative": "We started two groups.",
        "case_studies": "",
        **extra,
    }


def test_provider_saves_then_submits_a_return(client, setting) -> None:
    _award, plan, member, _officer = setting
    item = plan.returns.first()
    client.force_login(member)
    url = reverse("monitoring:return_edit", args=[item.pk])
    page = client.get(url)
    assert "Spend on" in page.text
    response = client.post(url, _answers(plan, narrative="", save="1"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.spend_pence) == (ReturnStatus.DUE, 1_250_50)
    response = client.post(url, _answers(plan, narrative="", submit="1"))
    assert response.status_code == 200
    assert "Error: " in response.text
    assert "Enter a short summary of the period" in response.text
    response = client.post(url, _answers(plan, submit="1"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ReturnStatus.SUBMITTED


def test_bad_money_is_an_error_not_a_crash(client, setting) -> None:
    _award, plan, member, _officer = setting
    item = plan.returns.first()
    client.force_login(member)
    award = plan.awards.get()
    response = client.post(
        reverse("monitoring:return_edit", args=[item.pk]),
        _answers(plan, **{f"spend_{award.pk}": "lots", "submit": "1"}),
    )
    assert response.status_code == 200
    assert "must be an amount in pounds" in response.text
    item.refresh_from_db()
    assert item.status == ReturnStatus.DUE


def test_officer_queries_then_accepts_with_rating(client, setting) -> None:
    _award, plan, _member, officer = setting
    item = services.submit_return(monitoring_return=fill(plan.returns.first()), actor=None)
    client.force_login(officer)
    url = reverse("monitoring:return_decide", args=[item.pk])
    response = client.post(url, {"decision": "query", "query_reason": ""})
    assert "Enter what the provider needs to change" in response.text
    response = client.post(url, {"decision": "query", "query_reason": "Add receipts"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ReturnStatus.QUERIED
    services.submit_return(monitoring_return=item, actor=None)
    response = client.post(url, {"decision": "accept", "rating": "", "rating_reason": ""})
    assert "Choose red, amber or green" in response.text
    response = client.post(
        url, {"decision": "accept", "rating": "amber", "rating_reason": "Behind on targets"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.rating) == (ReturnStatus.ACCEPTED, Rating.AMBER)
    page = client.get(reverse("monitoring:return", args=[item.pk]))
    assert "Behind on targets" in page.text


def test_plan_page_explains_the_rule_and_shows_payments(client, setting) -> None:
    award, plan, member, _officer = setting
    from thrive.monitoring.tests.factories import held_instalment

    held_instalment(award)
    client.force_login(member)
    page = client.get(reverse("monitoring:plan", args=[plan.pk]))
    assert plan.tier_reason in html.unescape(page.text)
    assert "Held for a return" in page.text


def test_staff_overview_and_list_in_bounded_queries(
    client, setting, django_assert_max_num_queries
) -> None:
    _award, _plan, _member, officer = setting
    for _ in range(5):
        award_with_plan(
            council=officer.council, directorate=officer.role_assignments.get().directorate
        )
    client.force_login(officer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("monitoring:overview"))
    assert "Returns by lead directorate" in page.text
    with django_assert_max_num_queries(15):
        page = client.get(reverse("monitoring:returns") + "?status=overdue")
    assert page.status_code == 200
    response = client.get(reverse("monitoring:returns_export") + "?format=csv&status=overdue")
    assert response["Content-Type"].startswith("text/csv")
    assert "Organisation" in response.content.decode("utf-8-sig").splitlines()[0]
    for fmt in ("xlsx", "ods"):
        assert (
            client.get(reverse("monitoring:returns_export") + f"?format={fmt}").status_code == 200
        )


def test_commissioner_of_another_directorate_sees_nothing(client, setting) -> None:
    award, plan, _member, _officer = setting
    other = staff_with_role(Role.COMMISSIONER, council=award.council)
    other.role_assignments.update(
        directorate=DirectorateFactory(council=award.council, code="place", name="Place")
    )
    client.force_login(other)
    assert client.get(reverse("monitoring:plan", args=[plan.pk])).status_code == 403
    page = client.get(reverse("monitoring:returns"))
    assert "0 returns" in page.text


def test_council_admin_changes_a_tier_audited(client, setting) -> None:
    award, _plan, _member, _officer = setting
    admin = staff_with_role(Role.COUNCIL_ADMIN, council=award.council)
    client.force_login(admin)
    tier = MonitoringTier.objects.get(council=award.council, name="Up to £5,000")
    url = reverse("monitoring:tier_edit", args=[tier.pk])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "name": "Up to £10,000",
            "order": "20",
            "active": "on",
            "max_value_pence": "10,000",
            "schedule": "end_of_grant",
            "return_size": "light",
            "days_to_report": "28",
            "reason": "Cabinet raised the limit",
        },
    )
    assert response.status_code == 302
    tier.refresh_from_db()
    assert tier.max_value_pence == 10_000_00
    from thrive.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="monitoring.tier.saved")
    assert event.reason == "Cabinet raised the limit"
    _award2, later = award_with_plan(
        organisation=award.organisation, council=award.council, amount_pence=8_000_00
    )
    assert later.tier_name == "Up to £10,000"


def test_lead_funder_page_proposes_and_appoints(client, setting) -> None:
    award, _plan, _member, _officer = setting
    children = DirectorateFactory(council=award.council, code="children", name="Children")
    second = AwardFactory(
        organisation=award.organisation,
        council=award.council,
        directorate=children,
        amount_pence=5_000_00,
    )
    services.create_plan_for_award(award=second)
    strategist = staff_with_role(Role.STRATEGY_GROUP, council=award.council)
    client.force_login(strategist)
    page = client.get(reverse("monitoring:lead_funders"))
    assert award.organisation.name in page.text
    assert "it funds the most" in page.text
    url = reverse("monitoring:lead_appoint", args=[award.organisation.pk])
    response = client.post(url, {"directorate": award.directorate.pk, "reason": "Biggest"})
    assert response.status_code == 302
    assert award.organisation.lead_funders.get().directorate == award.directorate


def test_lead_funder_list_pages_every_organisation_and_exports_them_all(
    client, setting, django_assert_max_num_queries
) -> None:
    award, _plan, _member, _officer = setting
    children = DirectorateFactory(council=award.council, code="children", name="Children")
    names = []
    for index in range(55):
        first = AwardFactory(
            council=award.council,
            directorate=award.directorate,
            organisation__name=f"Org {index:02d}",
            amount_pence=1_000_00,
        )
        AwardFactory(
            council=award.council,
            directorate=children,
            organisation=first.organisation,
            amount_pence=2_000_00,
        )
        names.append(first.organisation.name)
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=award.council))
    # 12, and 2 for other funders' grants and other buyers' contracts of the page
    with django_assert_max_num_queries(14):
        first_page = client.get(reverse("monitoring:lead_funders"))
    assert "55 organisations" in first_page.text
    assert "Org 00" in first_page.text and "Org 54" not in first_page.text
    second_page = client.get(reverse("monitoring:lead_funders") + "?page=2")
    assert "Org 54" in second_page.text and "Org 00" not in second_page.text
    export = client.get(reverse("monitoring:lead_funders_export") + "?format=csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Organisation,Awards,Total")
    assert len(lines) == 56
    assert any(line.startswith("Org 54,") and "Children: £2,000" in line for line in lines)


def test_lead_funders_show_each_directorates_funding_added_up_and_its_own_councils_only(
    client, setting, django_assert_max_num_queries
) -> None:
    from thrive.accounts.tests.factories import CouncilFactory

    award, _plan, _member, _officer = setting
    children = DirectorateFactory(council=award.council, code="children", name="Children")
    for amount in (2_000_00, 3_000_00, 4_000_00):
        AwardFactory(organisation=award.organisation, council=award.council,
                     directorate=children, amount_pence=amount)  # fmt: skip
    elsewhere = CouncilFactory(name="Eastshire Council", slug="eastshire")
    for code in ("east-a", "east-b"):  # another council's directorates fund it too
        AwardFactory(organisation=award.organisation, council=elsewhere,
                     directorate=DirectorateFactory(council=elsewhere, code=code))  # fmt: skip
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=award.council))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("monitoring:lead_funders"))
    assert "1 organisation." in page.text
    assert "Children: £9,000.00 (3 awards)" in page.text
    assert f"{award.directorate.name}: £30,000.00 (1 award)" in page.text
    assert "because it funds the most (£30,000.00)" in page.text
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=elsewhere))
    theirs = client.get(reverse("monitoring:lead_funders"))
    assert "1 organisation." in theirs.text and "Children" not in theirs.text


def test_organisation_page_shows_the_track_record(client, setting) -> None:
    award, plan, _member, officer = setting
    item = services.submit_return(monitoring_return=fill(plan.returns.first()), actor=None)
    services.accept_return(
        monitoring_return=item, actor=None, rating=Rating.GREEN, rating_reason="Good"
    )
    client.force_login(officer)
    page = client.get(reverse("organisations:detail", args=[award.organisation.pk]))
    assert "Monitoring track record" in page.text
    assert "Returns submitted" in page.text


def test_the_visit_form_refuses_a_bad_date(client, setting) -> None:
    _award, plan, _member, officer = setting
    client.force_login(officer)
    url = reverse("monitoring:visit_add", args=[plan.pk])
    response = client.post(url, {"kind": "visit", "planned_for": "31/2/2026"})
    assert "Enter a real date" in response.text
    response = client.post(url, {"kind": "visit", "planned_for": "1/6/2026"})
    assert response.status_code == 302
    assert plan.visits.get().planned_for == date(2026, 6, 1)


def test_the_admin_site_lists_tiers_plans_and_lead_funders(client, setting) -> None:
    award, _plan, _member, _officer = setting
    client.force_login(staff_with_role(Role.SYSTEM_ADMIN))
    tier = MonitoringTier.objects.filter(council=award.council).first()
    assert client.get(f"/admin/monitoring/monitoringtier/{tier.pk}/change/").status_code == 200
    assert client.get("/admin/monitoring/monitoringplan/").status_code == 200
    assert client.get("/admin/monitoring/leadfunder/").status_code == 200


def test_awards_with_a_red_rating_are_listed_at_risk_with_their_value(client, setting) -> None:
    _award, plan, _member, officer = setting
    item = services.submit_return(monitoring_return=fill(plan.returns.first()), actor=None)
    services.accept_return(
        monitoring_return=item, actor=None, rating=Rating.RED, rating_reason="Missed"
    )
    client.force_login(officer)
    page = client.get(reverse("monitoring:overview"))
    assert plan.organisation.name in page.text
    assert "£30,000.00" in page.text


def test_adding_a_tier_with_bad_limits_shows_errors_and_saves_nothing(client, setting) -> None:
    award, _plan, _member, _officer = setting
    client.force_login(staff_with_role(Role.COUNCIL_ADMIN, council=award.council))
    before = MonitoringTier.objects.count()
    response = client.post(
        reverse("monitoring:tier_add"),
        {
            "name": "Odd",
            "order": "5",
            "min_value_pence": "10,000",
            "max_value_pence": "5,000",
            "schedule": "quarterly",
            "return_size": "full",
            "days_to_report": "28",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The value up to must be more than the value above" in response.text
    assert MonitoringTier.objects.count() == before


def test_council_admin_chooses_how_the_lead_is_proposed(client, setting) -> None:
    award, _plan, _member, _officer = setting
    from thrive.audit.models import AuditEvent

    client.force_login(staff_with_role(Role.COUNCIL_ADMIN, council=award.council))
    response = client.post(
        reverse("monitoring:settings"),
        {"lead_rule": "most_awards", "reminder_days": "10", "escalation_days": "3"},
    )
    assert response.status_code == 302
    chosen = selectors.settings_for(council=award.council)
    assert (chosen.lead_rule, chosen.reminder_days, chosen.escalation_days) == (
        "most_awards",
        10,
        3,
    )
    assert AuditEvent.objects.filter(action="monitoring.settings.saved").exists()
    bad = client.post(reverse("monitoring:settings"), {"lead_rule": "x", "reminder_days": "0"})
    assert "There is a problem" in bad.text


def test_a_funder_sees_only_its_own_part_of_a_consolidated_return(client, setting) -> None:
    award, _plan, _member, lead_officer = setting
    children = DirectorateFactory(council=award.council, code="children", name="Children")
    theirs = AwardFactory(
        organisation=award.organisation,
        council=award.council,
        directorate=children,
        title="Youth club",
        amount_pence=5_000_00,
    )
    lead = services.appoint_lead_funder(
        council=award.council,
        organisation=award.organisation,
        directorate=award.directorate,
        actor=None,
    )
    item = lead.plan.returns.first()
    other = staff_with_role(Role.COMMISSIONER, council=award.council)
    other.role_assignments.update(directorate=children)
    client.force_login(other)
    page = client.get(reverse("monitoring:return", args=[item.pk]))
    assert "Youth club" in page.text
    assert award.title not in page.text
    assert "You see the parts for your directorate" in page.text
    client.force_login(lead_officer)
    page = client.get(reverse("monitoring:return", args=[item.pk]))
    assert award.title in page.text and theirs.title in page.text


def _writes(queries) -> list[str]:
    """The inserts and updates of domain rows (the session's own saves are not the page's)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        and "django_session" not in q["sql"]
    ]


def test_a_new_councils_tiers_and_settings_pages_save_nothing(client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thrive.accounts.tests.factories import CouncilFactory
    from thrive.monitoring.models import MonitoringSettings

    council = CouncilFactory(name="Eastshire Council", slug="eastshire")
    client.force_login(staff_with_role(Role.COUNCIL_ADMIN, council=council))
    with CaptureQueriesContext(connection) as queries:
        tiers = client.get(reverse("monitoring:tiers"))
        settings = client.get(reverse("monitoring:settings"))
        leads = client.get(reverse("monitoring:lead_funders"))
    assert (tiers.status_code, settings.status_code, leads.status_code) == (200, 200, 200)
    assert "Up to £5,000" in tiers.text  # the strategy's defaults are shown
    assert "The directorate funding the most money" in tiers.text
    assert _writes(queries) == []
    assert not MonitoringTier.objects.filter(council=council).exists()
    assert not MonitoringSettings.objects.filter(council=council).exists()


def test_a_new_councils_first_tier_joins_the_default_tiers(client) -> None:
    from thrive.accounts.tests.factories import CouncilFactory

    council = CouncilFactory(name="Eastshire Council", slug="eastshire")
    client.force_login(staff_with_role(Role.COUNCIL_ADMIN, council=council))
    response = client.post(
        reverse("monitoring:tier_add"),
        {
            "name": "Arts projects",
            "order": "5",
            "schedule": "quarterly",
            "return_size": "full",
            "days_to_report": "28",
        },
    )
    assert response.status_code == 302
    names = list(MonitoringTier.objects.filter(council=council).values_list("name", flat=True))
    assert "Arts projects" in names
    assert "Up to £5,000" in names

"""The annual action plan and the NI 7 survey (§5.1): figures, rules and pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy import selectors, services
from thrive.strategy.models import (
    ActionStatus,
    Agreement,
    FinancialYear,
    Influence,
    PlanAction,
)
from thrive.strategy.tests.factories import (
    FinancialYearFactory,
    PlanActionFactory,
    SurveyResponseFactory,
    SurveyRoundFactory,
)

pytestmark = pytest.mark.django_db


def _today():
    """Today, asked when a test runs: a module's date taken at collection goes stale when a
    run passes midnight."""
    return timezone.localdate()


ANSWERS = {
    "overall": Influence.VERY_POSITIVE,
    "funding": Agreement.TEND_TO_AGREE,
    "involvement": Agreement.STRONGLY_DISAGREE,
    "relationship": Agreement.DONT_KNOW,
    "comment": "Longer funding would help.",
}


def _this_year() -> FinancialYear:
    return FinancialYearFactory(start_year=FinancialYear.start_year_for(_today()))


# --- the NI 7 computation --------------------------------------------------------


@pytest.mark.parametrize(
    ("positive", "respondents", "expected"),
    [
        (0, 0, None),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 8, 12.5),
        (37, 120, 30.8),
    ],
)
def test_ni7_is_the_share_answering_very_or_fairly_positive(positive, respondents, expected):
    assert selectors.ni7_percentage(positive, respondents) == expected


@pytest.mark.parametrize(("positive", "respondents"), [(4, 3), (-1, 3), (0, -1)])
def test_ni7_refuses_impossible_counts(positive, respondents):
    with pytest.raises(ValueError, match="between 0 and the number of respondents"):
        selectors.ni7_percentage(positive, respondents)


def test_ni7_series_lists_each_year_oldest_first_with_respondents():
    council = CouncilFactory()
    later = SurveyRoundFactory(
        council=council, financial_year=FinancialYearFactory(start_year=2025)
    )
    earlier = SurveyRoundFactory(
        council=council, financial_year=FinancialYearFactory(start_year=2024)
    )
    SurveyRoundFactory(council=council, financial_year=FinancialYearFactory(start_year=2026))
    SurveyRoundFactory(financial_year=FinancialYearFactory(start_year=2023))  # another council
    for overall in (Influence.VERY_POSITIVE, Influence.NEITHER):
        SurveyResponseFactory(round=earlier, overall=overall)
    for overall in (Influence.FAIRLY_POSITIVE,) * 3 + (Influence.VERY_NEGATIVE,):
        SurveyResponseFactory(round=later, overall=overall)
    series = selectors.ni7_series(council)
    assert series == [("2024/25", 2, 50.0), ("2025/26", 4, 75.0), ("2026/27", 0, None)]
    assert series[1].ni7 == 75.0 and series[1].respondents == 4


def test_staff_of_another_council_cannot_see_this_councils_plan_or_results(client):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    action = PlanActionFactory(
        council=strategy.council, financial_year=_this_year(), title="Westshire's own action"
    )
    survey = SurveyRoundFactory(council=strategy.council)
    other = staff_with_role(Role.STRATEGY_GROUP, council=CouncilFactory(name="Eastvale"))
    client.force_login(other)
    assert (
        "Westshire&#x27;s own action"
        not in client.get(reverse("strategy:action_plan")).content.decode()
    )
    assert client.get(reverse("strategy:action_edit", args=[action.pk])).status_code == 403
    assert client.get(reverse("strategy:action_status", args=[action.pk])).status_code == 403
    assert client.get(reverse("strategy:survey_results", args=[survey.pk])).status_code == 403
    assert client.get(reverse("strategy:survey_edit", args=[survey.pk])).status_code == 403
    client.force_login(strategy)
    assert (
        "Westshire&#x27;s own action"
        in client.get(reverse("strategy:action_plan")).content.decode()
    )


def test_commissioners_read_the_plan_but_cannot_change_it(client):
    commissioner = staff_with_role(Role.COMMISSIONER)
    action = PlanActionFactory(council=commissioner.council, financial_year=_this_year())
    client.force_login(commissioner)
    page = client.get(reverse("strategy:action_plan")).content.decode()
    assert action.title in page and "Update status" not in page
    assert (
        client.post(
            reverse("strategy:action_status", args=[action.pk]), {"status": "done"}
        ).status_code
        == 403
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


# --- the action plan -------------------------------------------------------------------


def test_overdue_means_not_done_and_past_due():
    year = _this_year()
    council = CouncilFactory()
    cases = {
        "late": (_today() - timedelta(days=1), ActionStatus.IN_PROGRESS, "overdue"),
        "late not started": (_today() - timedelta(days=40), ActionStatus.NOT_STARTED, "overdue"),
        "late but done": (_today() - timedelta(days=1), ActionStatus.DONE, "done"),
        "due today": (_today(), ActionStatus.NOT_STARTED, "not_started"),
        "in hand": (_today() + timedelta(days=9), ActionStatus.IN_PROGRESS, "in_progress"),
    }
    for title, (due, status, _) in cases.items():
        PlanActionFactory(
            council=council, financial_year=year, title=title, due_date=due, status=status
        )
    progress = selectors.action_plan_progress(council, year.start_year)
    assert {a.title: a.status for a in progress.actions} == {t: c[2] for t, c in cases.items()}
    assert progress.counts == {"overdue": 2, "not_started": 1, "in_progress": 1, "done": 1}
    assert progress.total == 5 == sum(progress.counts.values())
    assert progress.actions[0].title == "late not started"  # earliest due first
    assert set(PlanAction.objects.overdue().values_list("title", flat=True)) == {
        "late",
        "late not started",
    }
    assert selectors.action_plan_progress(council, 1999).total == 0
    assert selectors.action_plan_progress(council, str(year)).counts == progress.counts
    assert selectors.action_plan_progress(council, year).total == 5
    assert selectors.action_plan_progress(council, "next year").total == 0


def test_the_strategy_group_adds_an_action_and_updates_its_status_audited(client):
    strategy = staff_with_role(Role.STRATEGY_GROUP, first_name="Sam", last_name="Patel")
    client.force_login(strategy)
    year = FinancialYear.start_year_for(_today())
    response = client.post(
        reverse("strategy:action_add"),
        {
            "year": str(year),
            "title": "Train commissioners in the new approach",
            "section": "5.2",
            "owner": str(strategy.pk),
            "owner_team": "",
            "due_date": f"1/3/{year + 1}",
        },
    )
    assert response.status_code == 302, response.content.decode()
    action = PlanAction.objects.get()
    assert action.owner == strategy and action.section_label.startswith("§5.2")
    assert AuditEvent.objects.filter(
        action="strategy.action.created", object_id=str(action.pk)
    ).exists()

    url = reverse("strategy:action_status", args=[action.pk])
    response = client.post(url, {"status": "done", "progress_note": "Two sessions held."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress_note, action.completed_on) == (
        "done",
        "Two sessions held.",
        _today(),
    )
    event = AuditEvent.objects.get(action="strategy.action.status_changed")
    assert event.before["status"] == "not_started" and event.after["status"] == "done"
    page = client.get(reverse("strategy:action_plan")).content.decode()
    assert "Sam Patel" in page and "§5.2" in page and "Two sessions held." in page


def test_bad_action_input_shows_the_error_summary_and_saves_nothing(client):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    client.force_login(strategy)
    response = client.post(
        reverse("strategy:action_add"),
        {
            "year": str(FinancialYear.start_year_for(_today())),
            "title": "x",
            "section": "",
            "due_date": "31/2/2027",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Select the section of the strategy" in page and "must be a real date" in page
    response = client.post(
        reverse("strategy:action_add"),
        {
            "year": str(FinancialYear.start_year_for(_today())),
            "title": "x",
            "section": "2.4",
            "due_date": "1/2/2027",
        },
    )
    assert "Choose an owner or enter the owning team" in response.content.decode()
    assert not PlanAction.objects.exists()
    action = PlanActionFactory(council=strategy.council, financial_year=_this_year())
    response = client.post(
        reverse("strategy:action_status", args=[action.pk]), {"status": "finished"}
    )
    assert "There is a problem" in response.content.decode()


def test_owner_must_work_for_the_council():
    council = CouncilFactory()
    outsider = staff_with_role(Role.STRATEGY_GROUP, council=CouncilFactory(name="Elsewhere"))
    action = PlanAction(
        council=council,
        financial_year=_this_year(),
        title="x",
        section="2.4",
        owner=outsider,
        due_date=_today(),
    )
    with pytest.raises(ValidationError, match="this council's staff"):
        services.save_action(action=action, actor=None)


def test_plan_page_and_export_in_few_queries(client, django_assert_max_num_queries):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    year = _this_year()
    for n in range(15):
        PlanActionFactory(
            council=strategy.council,
            financial_year=year,
            owner=strategy if n % 2 else None,
            due_date=_today() + timedelta(days=n - 5),
        )
    client.force_login(strategy)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("strategy:action_plan"))
    assert response.status_code == 200
    assert "5 overdue" in response.content.decode()
    assert '<svg class="app-chart" role="img"' in response.content.decode()
    with django_assert_max_num_queries(14):  # 10, and 4 to record the download in the audit log
        export = client.get(reverse("strategy:action_plan_export"), {"format": "csv"})
    text = export.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Action,Strategy section,Owner,Due date,Status,Progress note"
    assert len(text.splitlines()) == 16 and text.count("Overdue") == 5
    assert client.get(reverse("strategy:action_plan_export"), {"format": "xlsx"}).status_code == 200
    assert client.get(reverse("strategy:action_plan_export"), {"format": "pdf"}).status_code == 404


def test_survey_pages_in_few_queries(client, django_assert_max_num_queries):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    rounds = [
        SurveyRoundFactory(
            council=strategy.council, financial_year=FinancialYearFactory(start_year=y)
        )
        for y in range(2020, 2026)
    ]
    for survey in rounds:
        for overall in (Influence.VERY_POSITIVE, Influence.NEITHER, Influence.FAIRLY_NEGATIVE):
            SurveyResponseFactory(round=survey, overall=overall)
    client.force_login(strategy)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("strategy:surveys")).content.decode()
    assert page.count("33.3%") >= 6 and "2020/21" in page
    with django_assert_max_num_queries(14):
        results = client.get(reverse("strategy:survey_results", args=[rounds[0].pk]))
    assert results.status_code == 200
    export = client.get(reverse("strategy:surveys_export"), {"format": "csv"})
    assert export.content.decode("utf-8-sig").splitlines()[1] == "2020/21,3,33.3"


def test_strategy_group_runs_one_survey_a_year(client):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    client.force_login(strategy)
    year = FinancialYear.start_year_for(_today())
    data = {"year": str(year), "opens_on": f"1/6/{year}", "closes_on": f"30/6/{year}"}
    assert client.post(reverse("strategy:survey_add"), data).status_code == 302
    again = client.post(reverse("strategy:survey_add"), data)
    assert "There is already a survey for" in again.content.decode()
    backwards = client.post(
        reverse("strategy:survey_add"),
        {"year": str(year + 1), "opens_on": f"1/6/{year + 1}", "closes_on": f"1/5/{year + 1}"},
    )
    assert "The closing date must be on or after the opening date" in backwards.content.decode()
    assert AuditEvent.objects.filter(action="strategy.survey.opened").count() == 1


# --- the API ---------------------------------------------------------------------------


def test_api_gives_the_plan_and_ni7_to_staff_only(client):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    PlanActionFactory(
        council=strategy.council, financial_year=_this_year(), due_date=_today() - timedelta(days=1)
    )
    survey = SurveyRoundFactory(
        council=strategy.council, financial_year=FinancialYearFactory(start_year=2025)
    )
    SurveyResponseFactory(round=survey, overall=Influence.VERY_POSITIVE)
    assert client.get("/api/v1/ni7").status_code == 401
    client.force_login(strategy)
    plan = client.get("/api/v1/action-plan").json()
    assert plan["total"] == 1 and plan["counts"]["overdue"] == 1
    assert plan["actions"][0]["status"] == "overdue"
    assert client.get("/api/v1/ni7").json() == [
        {"financial_year": "2025/26", "respondents": 1, "ni7": 100.0}
    ]
    client.force_login(MembershipFactory(is_admin=True).user)
    assert client.get("/api/v1/ni7").status_code == 403
    assert client.get("/api/v1/action-plan").status_code == 403


# --- seed data -------------------------------------------------------------------------


def _seeded(random_seed: int, slug: str, organisations: list) -> tuple[object, list[tuple]]:
    from thrive.core.seeding import SCALES, SeedContext
    from thrive.strategy import survey_seed
    from thrive.strategy.seed import seed_action_plans

    council = CouncilFactory(name=slug.title(), slug=slug)
    staff_with_role(Role.STRATEGY_GROUP, council=council)
    ctx = SeedContext(scale=SCALES["demo"], random_seed=random_seed, show_progress=False)
    ctx.data["councils"] = [council]
    ctx.data["organisations"] = organisations
    seed_action_plans(ctx)
    survey_seed.seed(ctx)
    plan = list(
        PlanAction.objects.filter(council=council)
        .order_by("financial_year__start_year", "due_date", "title")
        .values_list("title", "status", "due_date")
    )
    return council, plan + [tuple(point) for point in selectors.ni7_series(council)]


def test_seed_gives_plans_and_surveys_for_every_year_deterministically():
    organisations = OrganisationFactory.create_batch(20)
    council, first = _seeded(5, "seedshire", organisations)
    rounds = list(council.survey_rounds.order_by("financial_year__start_year"))
    assert len(rounds) == 3 and rounds[-1].is_open() and not rounds[0].is_open()
    assert all(r.responses.exists() for r in rounds)
    assert len(first) == 3 * 12 + 3
    # the demo provider's organisation (the first) can still answer this year's survey
    assert not rounds[-1].responses.filter(organisation=organisations[0]).exists()
    assert _seeded(5, "sameshire", organisations)[1] == first
    assert _seeded(6, "othershire", organisations)[1] != first


def test_survey_answers_download_and_date_changes_are_audited(client):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    survey = SurveyRoundFactory(council=strategy.council)
    for n in range(4):
        SurveyResponseFactory(
            round=survey, organisation__name=f"Hidden Trust {n}", overall=Influence.VERY_POSITIVE
        )
    SurveyResponseFactory(round=survey, overall=Influence.VERY_NEGATIVE)
    client.force_login(strategy)
    export = client.get(
        reverse("strategy:survey_results_export", args=[survey.pk]), {"format": "csv"}
    )
    text = export.content.decode("utf-8-sig")
    assert "Very positive,4,80.0" in text and text.strip().endswith(
        "NI 7,Very or fairly positive,4,80.0"
    )
    assert "Hidden Trust" not in text
    closes = survey.closes_on + timedelta(days=7)
    response = client.post(
        reverse("strategy:survey_edit", args=[survey.pk]),
        {
            "year": str(survey.financial_year.start_year),
            "opens_on": f"{survey.opens_on:%d/%m/%Y}",
            "closes_on": f"{closes:%d/%m/%Y}",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.closes_on == closes
    event = AuditEvent.objects.get(action="strategy.survey.changed")
    assert event.after["closes_on"] == closes.isoformat()

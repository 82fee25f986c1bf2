"""The yearly survey as organisations meet it (§5.1): answering, and results by size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.organisations.survey import selectors as survey_selectors
from thrive.organisations.survey import services as survey_services
from thrive.organisations.tests.factories import OrganisationFactory
from thrive.strategy.models import Agreement, FinancialYear, Influence, SurveyResponse
from thrive.strategy.tests.factories import (
    FinancialYearFactory,
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


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([Influence.VERY_POSITIVE, Influence.FAIRLY_POSITIVE, Influence.NEITHER], 66.7),
        ([Influence.FAIRLY_NEGATIVE, Influence.VERY_NEGATIVE], 0.0),
        (
            [Influence.NEITHER, Influence.FAIRLY_POSITIVE, Influence.NEITHER, Influence.NEITHER],
            25.0,
        ),
    ],
)
def test_ni7_from_recorded_answers(answers, expected):
    survey = SurveyRoundFactory()
    for answer in answers:
        SurveyResponseFactory(round=survey, overall=answer)
    results = survey_selectors.survey_results(survey)
    assert results["respondents"] == len(answers)
    assert results["ni7"] == expected


def test_sub_questions_count_agreement_among_those_giving_a_view():
    survey = SurveyRoundFactory()
    for funding in (Agreement.STRONGLY_AGREE, Agreement.TEND_TO_DISAGREE, Agreement.DONT_KNOW):
        SurveyResponseFactory(round=survey, funding=funding)
    funding = survey_selectors.survey_results(survey)["questions"][0]
    assert funding["field"] == "funding"
    assert funding["agree_percent"] == 50.0
    assert {r["label"]: r["count"] for r in funding["rows"]}["Don't know or not applicable"] == 1


def test_small_groups_are_withheld_from_breakdowns_and_comments():
    survey = SurveyRoundFactory()
    for n in range(6):
        SurveyResponseFactory(round=survey, size_band="small", comment=f"Comment {n}")
    SurveyResponseFactory(round=survey, size_band="micro")
    results = survey_selectors.survey_results(survey)
    by_size = {row["label"].split()[0]: row for row in results["by_size"]}
    assert by_size["Small"]["ni7"] == 100.0 and not by_size["Small"]["withheld"]
    assert by_size["Micro"]["withheld"] and by_size["Micro"]["ni7"] is None
    assert len(results["comments"]) == 6

    few = SurveyRoundFactory()
    SurveyResponseFactory(round=few, comment="Only us")
    assert survey_selectors.survey_results(few)["comments"] == []
    assert survey_selectors.survey_results(few)["comments_withheld"]


# --- answering the survey --------------------------------------------------------------


def test_an_organisation_answers_once_per_round():
    survey = SurveyRoundFactory()
    member = MembershipFactory(is_admin=True)
    survey_services.answer_survey(
        survey=survey, organisation=member.organisation, answers=ANSWERS, actor=member.user
    )
    with pytest.raises(ValidationError, match="has already answered this survey"):
        survey_services.answer_survey(
            survey=survey, organisation=member.organisation, answers=ANSWERS, actor=member.user
        )
    assert SurveyResponse.objects.filter(round=survey).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponseFactory(round=survey, organisation=member.organisation)
    # the next year's round is a new chance to answer
    next_year = SurveyRoundFactory(
        council=survey.council, financial_year=FinancialYearFactory(start_year=2031)
    )
    survey_services.answer_survey(
        survey=next_year, organisation=member.organisation, answers=ANSWERS, actor=member.user
    )


def test_the_audit_log_records_that_an_organisation_answered_but_not_what():
    survey = SurveyRoundFactory()
    member = MembershipFactory(is_admin=True)
    survey_services.answer_survey(
        survey=survey, organisation=member.organisation, answers=ANSWERS, actor=member.user
    )
    event = AuditEvent.objects.get(action="strategy.survey.answered")
    assert "overall" not in str(event.after) and "Longer funding" not in str(event.after)


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (-30, -1, "This survey closed on"),
        (3, 30, "This survey opens on"),
    ],
)
def test_a_round_that_is_not_open_refuses_answers_with_a_clear_message(opens, closes, message):
    survey = SurveyRoundFactory(
        opens_on=_today() + timedelta(days=opens), closes_on=_today() + timedelta(days=closes)
    )
    member = MembershipFactory(is_admin=True)
    with pytest.raises(ValidationError, match=message):
        survey_services.answer_survey(
            survey=survey, organisation=member.organisation, answers=ANSWERS, actor=member.user
        )
    assert not SurveyResponse.objects.exists()


def test_closed_round_page_says_so_and_a_late_post_changes_nothing(client):
    survey = SurveyRoundFactory(
        opens_on=_today() - timedelta(days=30), closes_on=_today() - timedelta(days=1)
    )
    member = MembershipFactory(is_admin=True)
    client.force_login(member.user)
    url = reverse("strategy:sector_survey_answer", args=[survey.pk, member.organisation.pk])
    page = client.get(url).content.decode()
    assert "answers can no longer be sent" in page and "Send your answers" not in page
    posted = {k: str(int(v)) if not isinstance(v, str) else v for k, v in ANSWERS.items()}
    response = client.post(url, posted)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "answers can no longer be sent" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_provider_answers_through_the_page_and_missing_answers_show_the_error_summary(client):
    survey = SurveyRoundFactory()
    member = MembershipFactory(is_admin=True, organisation__name="Riverside Lunch Club")
    client.force_login(member.user)
    listing = client.get(reverse("strategy:sector_survey")).content.decode()
    assert "Answer for Riverside Lunch Club" in listing and "anonymous" in listing
    url = reverse("strategy:sector_survey_answer", args=[survey.pk, member.organisation.pk])
    bad = client.post(url, {"overall": "5"})
    assert "There is a problem" in bad.content.decode()
    assert "Select how far you agree" in bad.content.decode()
    assert not SurveyResponse.objects.exists()
    good = client.post(
        url, {"overall": "4", "funding": "5", "involvement": "0", "relationship": "2"}
    )
    assert good.status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.overall, saved.involvement, saved.size_band) == (
        4,
        0,
        member.organisation.size_band,
    )
    listing = client.get(reverse("strategy:sector_survey")).content.decode()
    assert "Answered" in listing and "Answer for Riverside" not in listing


def test_members_who_are_not_administrators_cannot_answer(client):
    survey = SurveyRoundFactory()
    member = MembershipFactory(is_admin=False)
    client.force_login(member.user)
    url = reverse("strategy:sector_survey_answer", args=[survey.pk, member.organisation.pk])
    assert client.get(url).status_code == 403
    other = OrganisationFactory()
    admin = MembershipFactory(is_admin=True)
    client.force_login(admin.user)
    assert (
        client.get(reverse("strategy:sector_survey_answer", args=[survey.pk, other.pk])).status_code
        == 403
    )


# --- results: who sees them ------------------------------------------------------------


def test_providers_cannot_see_results_and_staff_see_no_organisation_names(client):
    strategy = staff_with_role(Role.STRATEGY_GROUP)
    survey = SurveyRoundFactory(council=strategy.council)
    for n in range(5):
        SurveyResponseFactory(
            round=survey, organisation__name=f"Named Charity {n}", comment=f"Note {n}"
        )
    provider = MembershipFactory(is_admin=True).user
    client.force_login(provider)
    assert client.get(reverse("strategy:surveys")).status_code == 403
    assert client.get(reverse("strategy:survey_results", args=[survey.pk])).status_code == 403
    client.force_login(strategy)
    page = client.get(reverse("strategy:survey_results", args=[survey.pk])).content.decode()
    assert "100.0%" in page and "Note 3" in page
    assert "Named Charity" not in page

"""The Third Sector test kept on the register, as the checker and screening use it (§1.4)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.services import screening
from thrive.applications.tests.factories import SubmittedApplicationFactory
from thrive.opportunities.tests.factories import OpportunityFactory
from thrive.organisations.services import record_third_sector_test
from thrive.organisations.services.third_sector import review_third_sector_test
from thrive.organisations.tests.factories import THIRD_SECTOR_ANSWERS

pytestmark = pytest.mark.django_db

QUESTIONS = ("independent", "value_driven", "reinvests_surpluses")
CHECKER = {
    "income": "2000",
    "local_benefit": "yes",
    "purpose": "other",
    "amount": "500",
    "current_grant": "no",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _answer(organisation, actor, **overrides: str):
    data = THIRD_SECTOR_ANSWERS | overrides
    return record_third_sector_test(
        organisation=organisation,
        answers={q: data[q] for q in QUESTIONS},
        evidence={q: data[f"{q}_evidence"] for q in QUESTIONS},
        actor=actor,
    )


def _closed_application():
    application = SubmittedApplicationFactory()
    application.opportunity.closes_at = timezone.now() - timedelta(seconds=1)
    application.opportunity.save()
    return application


def _third_sector(application):
    checks = screening.automatic_checks(application=application, now=timezone.now())
    return next(c for c in checks if c.code == "third_sector")


def _checked(page: str, name: str) -> list[str]:
    """The values of the radios called ``name`` that are checked."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', i).group(1) for i in inputs if " checked" in i]


def _checker(opportunity) -> str:
    return f"/applications/small-grants/{opportunity.pk}/eligibility/"


# --- screening ------------------------------------------------------------------


def test_an_unanswered_test_is_not_answered_rather_than_not_met() -> None:
    application = _closed_application()
    check = _third_sector(application)
    assert check.unanswered and not check.passed
    assert check.as_dict()["unanswered"] is True
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=application.opportunity.council)
    page = _client(officer).get(f"/applications/{application.pk}/screen/").content.decode()
    row = page.split("The organisation meets the Third Sector test")[1].split("</div>")[0]
    assert "Not answered" in row and "Not met" not in row


def test_kept_answers_meet_the_check_and_a_no_names_the_part() -> None:
    application = _closed_application()
    admin = MembershipFactory(organisation=application.organisation, is_admin=True).user
    _answer(application.organisation, admin)
    assert _third_sector(application).passed
    _answer(application.organisation, admin, value_driven="no")
    check = _third_sector(application)
    assert not check.passed and not check.unanswered
    assert check.reason == "The organisation answered no to: value-driven"


def test_the_screening_page_shows_the_kept_answers_and_the_officers_review() -> None:
    application = _closed_application()
    council = application.opportunity.council
    admin = MembershipFactory(organisation=application.organisation, is_admin=True).user
    _answer(application.organisation, admin)
    reviewer = staff_with_role(Role.COUNCIL_ADMIN, council=council)
    review_third_sector_test(
        organisation=application.organisation,
        actor=reviewer,
        review="queried",
        reason="Send the asset lock clause.",
    )
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=council)
    page = _client(officer).get(f"/applications/{application.pk}/screen/").content.decode()
    assert "members elect the committee" in page
    assert "Queried by an officer" in page and "Send the asset lock clause." in page
    assert "Review the answers" not in page  # a procurement officer does not review the register
    review_page = _client(reviewer).get(f"/applications/{application.pk}/review/")
    assert "Review the answers" in review_page.content.decode()


# --- the eligibility checker ----------------------------------------------------


def test_the_checker_starts_from_the_kept_answer_for_a_member() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    _answer(member.organisation, MembershipFactory(organisation=member.organisation).user)
    page = _client(member.user).get(_checker(opportunity)).content.decode()
    assert _checked(page, "third_sector") == ["yes"]
    assert f"comes from {member.organisation.name}" in page
    assert "Change the answers" not in page  # only the organisation's admin changes them
    anonymous = Client().get(_checker(opportunity)).content.decode()
    assert _checked(anonymous, "third_sector") == []


def test_an_admin_whose_answer_differs_is_sent_to_record_it_and_back() -> None:
    opportunity = OpportunityFactory()
    admin = MembershipFactory(is_admin=True)
    _answer(admin.organisation, admin.user)
    client = _client(admin.user)
    page = client.get(_checker(opportunity), CHECKER | {"third_sector": "no"}).content.decode()
    assert "is not the one kept on" in page
    link = page.split("Record your answers to the Third Sector test")[0].rsplit('href="', 1)[1]
    url = urlparse(link.split('"')[0].replace("&amp;", "&"))
    query = parse_qs(url.query)
    assert query["answer"] == ["no"] and query["next"][0].startswith(_checker(opportunity))
    response = client.post(
        url.path, THIRD_SECTOR_ANSWERS | {"independent": "no", "next": query["next"][0]}
    )
    assert response["Location"] == query["next"][0]
    admin.organisation.refresh_from_db()
    assert admin.organisation.third_sector_outcome == "does_not_meet"
    again = client.get(_checker(opportunity)).content.decode()
    assert "does not meet the third sector test" in again


def test_an_admin_with_no_kept_answers_is_asked_to_record_them() -> None:
    opportunity = OpportunityFactory()
    admin = MembershipFactory(is_admin=True)
    page = (
        _client(admin.user)
        .get(_checker(opportunity), CHECKER | {"third_sector": "yes"})
        .content.decode()
    )
    assert "has not answered the Third Sector test yet" in page
    assert "Record your answers to the Third Sector test" in page


def test_a_member_who_is_not_an_admin_is_not_offered_the_change() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    page = (
        _client(member.user)
        .get(_checker(opportunity), CHECKER | {"third_sector": "yes"})
        .content.decode()
    )
    assert "Record your answers" not in page

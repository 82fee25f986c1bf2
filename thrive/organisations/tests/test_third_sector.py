"""The Third Sector test (§1.4): asked at registration, kept, shown, changed and reviewed."""

from __future__ import annotations

from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from thrive.accounts.models import Role, User
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.audit.models import AuditEvent
from thrive.organisations import models
from thrive.organisations.models import Organisation
from thrive.organisations.services import record_third_sector_test
from thrive.organisations.services.third_sector import review_third_sector_test
from thrive.organisations.tests.factories import THIRD_SECTOR_ANSWERS, OrganisationFactory

PASSWORD = "a-very-long-password-42"
REGISTRATION = {
    "name": "Castlemere Carers",
    "legal_form": "cio",
    "postcode": "ws1 1aa",
    "first_name": "Priya",
    "last_name": "Shah",
    "email": "priya@example.org",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
}
QUESTIONS = ("independent", "value_driven", "reinvests_surpluses")


def _answer(org: Organisation, actor, **overrides: str) -> Organisation:
    data = THIRD_SECTOR_ANSWERS | overrides
    return record_third_sector_test(
        organisation=org,
        answers={q: data[q] for q in QUESTIONS},
        evidence={q: data[f"{q}_evidence"] for q in QUESTIONS},
        actor=actor,
    )


@pytest.fixture
def answered(db):
    """An organisation whose admin has answered the test."""
    admin = MembershipFactory(is_admin=True)
    return _answer(admin.organisation, admin.user), admin.user


@pytest.fixture
def other_council_officer(db):
    """A commissioner of a council other than any the organisation has dealt with."""
    return staff_with_role(Role.COMMISSIONER, council=CouncilFactory(name="Eastvale Borough"))


# --- registration ---------------------------------------------------------------


def test_registration_shows_the_strategy_definition_and_asks_for_evidence(client, db) -> None:
    page = client.get(reverse("organisations:register")).text
    assert "principally reinvest their surpluses" in page
    assert "Is the organisation independent of government?" in page
    assert "governing document" in page and "latest accounts" in page


def test_registration_keeps_the_answers_with_who_answered_and_when(client, db) -> None:
    response = client.post(reverse("organisations:register"), REGISTRATION | THIRD_SECTOR_ANSWERS)
    assert response.status_code == 302
    org = Organisation.objects.get(name="Castlemere Carers")
    user = User.objects.get(email="priya@example.org")
    assert org.third_sector_outcome == models.TestOutcome.MEETS
    assert org.independent_evidence == THIRD_SECTOR_ANSWERS["independent_evidence"]
    assert org.third_sector_recorded_by == user and org.third_sector_recorded_at is not None
    event = AuditEvent.objects.get(action="organisations.third_sector_test.recorded")
    assert event.actor == user and event.after["outcome"] == "meets"


def test_registration_without_the_test_shows_each_error_and_registers_nothing(client, db) -> None:
    answers = THIRD_SECTOR_ANSWERS | {"value_driven": "", "reinvests_surpluses_evidence": ""}
    response = client.post(reverse("organisations:register"), REGISTRATION | answers)
    assert response.status_code == 200
    assert "<title>Error: " in response.text
    summary = response.text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#id_value_driven_0"' in summary
    assert "Select whether the organisation is value-driven" in summary
    assert "Give evidence for your answer about surpluses" in summary
    assert not Organisation.objects.filter(name="Castlemere Carers").exists()


def test_answering_no_at_registration_registers_the_organisation_flagged(client, db) -> None:
    client.post(
        reverse("organisations:register"),
        REGISTRATION | THIRD_SECTOR_ANSWERS | {"reinvests_surpluses": "no"},
    )
    org = Organisation.objects.get(name="Castlemere Carers")
    assert org.third_sector_outcome == models.TestOutcome.DOES_NOT_MEET


# --- the profile ----------------------------------------------------------------


def test_an_unanswered_test_shows_as_not_answered_on_the_profile(client, db) -> None:
    admin = MembershipFactory(is_admin=True)
    client.force_login(admin.user)
    page = client.get(reverse("organisations:detail", args=[admin.organisation.pk])).text
    assert "Not answered" in page
    assert "Answer the test" in page
    assert "Review the answers" not in page


def test_the_profile_shows_the_answers_evidence_and_who_answered(client, answered) -> None:
    org, admin = answered
    client.force_login(admin)
    page = client.get(reverse("organisations:detail", args=[org.pk])).text
    assert "Meets the test" in page
    assert "members elect the committee" in page
    assert f"by {escape(str(admin))}" in page
    assert "Not reviewed yet" in page
    assert "Change the answers" in page and "Review the answers" not in page


def test_a_member_who_is_not_an_admin_reads_the_answers_but_cannot_change_them(
    client, answered
) -> None:
    org, _ = answered
    member = MembershipFactory(organisation=org).user
    client.force_login(member)
    page = client.get(reverse("organisations:detail", args=[org.pk])).text
    assert "members elect the committee" in page and "Change the answers" not in page
    url = reverse("organisations:third_sector_test", args=[org.pk])
    assert client.post(url, THIRD_SECTOR_ANSWERS | {"independent": "no"}).status_code == 403
    org.refresh_from_db()
    assert org.independent == "yes"


def test_another_organisations_admin_cannot_change_the_answers(client, answered) -> None:
    org, _ = answered
    client.force_login(MembershipFactory(is_admin=True).user)
    url = reverse("organisations:third_sector_test", args=[org.pk])
    assert client.post(url, THIRD_SECTOR_ANSWERS | {"independent": "no"}).status_code == 403
    org.refresh_from_db()
    assert org.third_sector_outcome == models.TestOutcome.MEETS


def test_new_answers_clear_the_review_and_are_audited(answered, other_council_officer) -> None:
    org, admin = answered
    review_third_sector_test(
        organisation=org, actor=other_council_officer, review="confirmed", reason=""
    )
    _answer(org, admin, independent="no")
    org.refresh_from_db()
    assert org.third_sector_outcome == models.TestOutcome.DOES_NOT_MEET
    assert org.third_sector_review == "" and org.third_sector_reviewed_by is None
    events = AuditEvent.objects.filter(action="organisations.third_sector_test.recorded")
    assert events.count() == 2 and events.order_by("sequence").last().after["independent"] == "no"


def test_the_test_page_starts_from_the_checkers_answer_and_goes_back_to_it(client, db) -> None:
    admin = MembershipFactory(is_admin=True)
    client.force_login(admin.user)
    url = reverse("organisations:third_sector_test", args=[admin.organisation.pk])
    page = client.get(url, {"answer": "yes", "next": "/applications/small-grants/1/"}).text
    assert page.count('value="yes" checked') == 3
    assert 'name="next" value="/applications/small-grants/1/"' in page
    response = client.post(url, THIRD_SECTOR_ANSWERS | {"next": "/applications/small-grants/1/"})
    assert response["Location"] == "/applications/small-grants/1/"


def test_the_test_page_ignores_a_next_address_on_another_site(client, db) -> None:
    admin = MembershipFactory(is_admin=True)
    client.force_login(admin.user)
    url = reverse("organisations:third_sector_test", args=[admin.organisation.pk])
    response = client.post(url, THIRD_SECTOR_ANSWERS | {"next": "https://evil.example/"})
    assert response["Location"] == reverse("organisations:detail", args=[admin.organisation.pk])


# --- the officer's review -------------------------------------------------------


def test_an_officer_of_any_council_confirms_the_answers_and_the_organisation_sees_it(
    client, answered, other_council_officer
) -> None:
    org, admin = answered
    client.force_login(other_council_officer)
    profile = client.get(reverse("organisations:detail", args=[org.pk])).text
    assert "Review the answers" in profile and "Change the answers" in profile
    url = reverse("organisations:third_sector_review", args=[org.pk])
    response = client.post(url, {"review": "confirmed", "reason": ""})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.third_sector_review == models.TestReview.CONFIRMED
    assert org.third_sector_reviewed_by == other_council_officer
    event = AuditEvent.objects.get(action="organisations.third_sector_test.reviewed")
    assert event.actor == other_council_officer and event.after["review"] == "confirmed"
    client.force_login(admin)
    page = client.get(reverse("organisations:detail", args=[org.pk])).text
    assert "Confirmed by an officer" in page


def test_a_query_needs_a_reason_shown_in_the_error_summary(
    client, answered, other_council_officer
) -> None:
    org, admin = answered
    client.force_login(other_council_officer)
    url = reverse("organisations:third_sector_review", args=[org.pk])
    response = client.post(url, {"review": "queried", "reason": "  "})
    assert response.status_code == 200 and "<title>Error: " in response.text
    assert 'href="#id_reason"' in response.text
    assert "Enter what the organisation needs to explain or change" in response.text
    empty = client.post(url, {})
    assert "Select whether you confirm or query the answers" in empty.text
    client.post(url, {"review": "queried", "reason": "Send your constitution's objects."})
    client.force_login(admin)
    page = client.get(reverse("organisations:detail", args=[org.pk])).text
    assert "Queried by an officer" in page and "Send your constitution" in page
    event = AuditEvent.objects.get(action="organisations.third_sector_test.reviewed")
    assert event.reason == "Send your constitution's objects."


def test_providers_and_finance_officers_may_not_review(client, answered) -> None:
    org, admin = answered
    url = reverse("organisations:third_sector_review", args=[org.pk])
    for user in [admin, staff_with_role(Role.FINANCE_OFFICER)]:
        client.force_login(user)
        assert client.post(url, {"review": "confirmed"}).status_code == 403
    org.refresh_from_db()
    assert org.third_sector_review == ""


def test_nobody_reviews_answers_they_recorded_themselves(other_council_officer) -> None:
    org = _answer(OrganisationFactory(), other_council_officer)
    with pytest.raises(ValidationError, match="another officer must review"):
        review_third_sector_test(
            organisation=org, actor=other_council_officer, review="confirmed", reason=""
        )


def test_an_unanswered_test_cannot_be_reviewed(client, other_council_officer) -> None:
    org = OrganisationFactory()
    with pytest.raises(ValidationError, match="has not answered"):
        review_third_sector_test(
            organisation=org, actor=other_council_officer, review="confirmed", reason=""
        )
    client.force_login(other_council_officer)
    url = reverse("organisations:third_sector_review", args=[org.pk])
    page = client.post(url, {"review": "confirmed"}).text
    assert "nothing to review until the organisation answers" in page
    assert not AuditEvent.objects.filter(action="organisations.third_sector_test.reviewed")


# --- the to-do list ---------------------------------------------------------------


def test_the_admins_to_do_list_asks_for_the_test_and_for_an_answer_to_a_query(
    client, answered, other_council_officer
) -> None:
    from thrive.core import worklist

    unanswered = MembershipFactory(is_admin=True)
    [item] = worklist.items_of(unanswered.user, "organisations.third_sector")
    assert "answer the Third Sector test" in item.title
    org, admin = answered
    assert worklist.items_of(admin, "organisations.third_sector") == []
    reason = "Send the clause on surpluses."
    review_third_sector_test(
        organisation=org, actor=other_council_officer, review="queried", reason=reason
    )
    worklist.forget(admin)
    [item] = worklist.items_of(admin, "organisations.third_sector")
    assert "an officer queried your answers" in item.title and item.detail == reason
    assert item.url == reverse("organisations:third_sector_test", args=[org.pk])
    client.force_login(admin)
    assert reason in client.get(item.url).text
    member = MembershipFactory(organisation=org).user
    assert worklist.items_of(member, "organisations.third_sector") == []


def test_answers_saved_again_unchanged_keep_the_review_and_log_nothing(
    answered, other_council_officer
) -> None:
    org, admin = answered
    review_third_sector_test(
        organisation=org, actor=other_council_officer, review="confirmed", reason=""
    )
    _answer(org, admin)
    org.refresh_from_db()
    assert org.third_sector_review == "confirmed"
    recorded = AuditEvent.objects.filter(action="organisations.third_sector_test.recorded")
    assert recorded.count() == 1

"""Application pages: the task list journey, errors per page, check and submit, receipts,
the provider home, the eligibility checker, staff lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.models import Application, ApplicationStatus, Submission
from thrive.applications.tests.factories import (
    ApplicationFactory,
    CompleteApplicationFactory,
    SubmittedApplicationFactory,
)
from thrive.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _member_client(application) -> Client:
    return _client(MembershipFactory(organisation=application.organisation).user)


def test_start_creates_a_draft_and_shows_the_task_list() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    client = _client(member.user)
    response = client.post(
        f"/applications/start/{opportunity.pk}/", {"organisation": member.organisation.pk}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    page = client.get(response.url)
    text = page.content.decode()
    assert "govuk-task-list" in text
    assert "Your organisation" in text
    assert "Not yet started" in text
    assert application.opportunity.closes_display in text


def test_a_page_saves_as_a_draft_and_the_task_list_shows_progress() -> None:
    application = ApplicationFactory()
    client = _member_client(application)
    response = client.post(
        f"/applications/{application.pk}/pages/project/",
        {"project_title": "Drama club", "then": "later"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["project_title"] == "Drama club"
    tasks = client.get(f"/applications/{application.pk}/").content.decode()
    assert "In progress" in tasks
    assert "Last saved by" in tasks


def test_a_malformed_answer_shows_the_error_summary_and_keeps_the_typing() -> None:
    application = ApplicationFactory()
    client = _member_client(application)
    response = client.post(
        f"/applications/{application.pk}/pages/money/",
        {"amount_requested": "lots", "then": "continue"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "must be an amount in pounds" in text
    assert 'value="lots"' in text
    assert text.count("<title>Error: ") == 1


def test_check_link_shows_the_required_errors_for_a_page() -> None:
    application = ApplicationFactory()
    client = _member_client(application)
    text = client.get(f"/applications/{application.pk}/pages/project/?check=1").content.decode()
    assert "There is a problem" in text
    assert "Enter an answer for: Project name" in text


def test_check_your_answers_then_submit_once_and_see_the_receipt() -> None:
    application = CompleteApplicationFactory()
    client = _member_client(application)
    page = client.get(f"/applications/{application.pk}/check/")
    text = page.content.decode()
    assert "Check your answers before submitting your application" in text
    assert "£1,500.00" in text
    key = page.context["form"]["idempotency_key"].value()
    data = {"idempotency_key": key, "declaration": "on"}
    first = client.post(f"/applications/{application.pk}/check/", data)
    second = client.post(f"/applications/{application.pk}/check/", data)
    assert first.status_code == second.status_code == 302
    assert Submission.objects.filter(application=application).count() == 1
    receipt = client.get(first.url).content.decode()
    application.refresh_from_db()
    assert "Application submitted" in receipt
    assert application.reference in receipt


def test_submit_without_the_declaration_shows_the_error() -> None:
    application = CompleteApplicationFactory()
    client = _member_client(application)
    response = client.post(f"/applications/{application.pk}/check/", {"idempotency_key": "abc"})
    assert "Confirm the declaration to submit" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_late_submission_is_refused_on_the_page_with_the_deadline() -> None:
    application = CompleteApplicationFactory()
    client = _member_client(application)
    opportunity = application.opportunity
    opportunity.closes_at = timezone.now() - timedelta(seconds=1)
    opportunity.save()
    response = client.post(
        f"/applications/{application.pk}/check/", {"idempotency_key": "k", "declaration": "on"}
    )
    text = response.content.decode()
    assert "The deadline for this opportunity has passed" in text
    assert "(UK time)" in text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_another_organisation_cannot_open_the_application() -> None:
    application = ApplicationFactory()
    outsider = MembershipFactory().user
    assert _client(outsider).get(f"/applications/{application.pk}/").status_code == 403


def test_provider_home_lists_drafts_submitted_results_and_deadlines(
    django_assert_max_num_queries,
) -> None:
    member = MembershipFactory()
    ApplicationFactory(organisation=member.organisation)
    SubmittedApplicationFactory(organisation=member.organisation)
    SubmittedApplicationFactory(
        organisation=member.organisation, status=ApplicationStatus.SUCCESSFUL
    )
    from thrive.opportunities.tests.factories import QuoteInvitationFactory

    invited = QuoteInvitationFactory(organisation=member.organisation)
    client = _client(member.user)
    with django_assert_max_num_queries(15):
        text = client.get("/applications/").content.decode()
    for heading in ("Drafts", "Submitted", "Results", "Coming deadlines"):
        assert heading in text
    assert "Successful" in text
    assert invited.opportunity.title in text


def test_the_eligibility_checker_gives_each_no_with_its_reason() -> None:
    opportunity = OpportunityFactory()
    response = Client().get(
        f"/applications/small-grants/{opportunity.pk}/eligibility/",
        {
            "third_sector": "yes",
            "income": "250000",
            "local_benefit": "yes",
            "purpose": "materials",
            "amount": "6000",
            "current_grant": "no",
        },
    )
    text = response.content.decode()
    assert "Your group cannot apply yet" in text
    assert "£100,000 or less; yours is £250,000" in text
    assert "Small grants are for £5,000 or less" in text


def test_the_eligibility_checker_shows_errors_for_missing_answers() -> None:
    opportunity = OpportunityFactory()
    text = (
        Client()
        .get(f"/applications/small-grants/{opportunity.pk}/eligibility/", {"income": "x"})
        .content.decode()
    )
    assert "Select yes if your group is part of the Third Sector" in text
    assert "<title>Error: " in text


def test_received_list_is_pinned_in_queries(django_assert_max_num_queries) -> None:
    opportunity = OpportunityFactory()
    for _ in range(6):
        SubmittedApplicationFactory(opportunity=opportunity)
    reader = staff_with_role("council_admin", council=opportunity.council)
    client = _client(reader)
    with django_assert_max_num_queries(12):
        response = client.get(f"/applications/received/{opportunity.pk}/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 6


def test_export_has_the_rows_on_screen() -> None:
    application = SubmittedApplicationFactory()
    reader = staff_with_role("strategy_group", council=application.opportunity.council)
    response = _client(reader).get(
        f"/applications/received/{application.opportunity.pk}/export/?format=xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_commissioner_of_another_directorate_cannot_read_applications() -> None:
    application = SubmittedApplicationFactory()
    outsider = staff_with_role("commissioner", council=application.opportunity.council)
    response = _client(outsider).get(f"/applications/{application.pk}/review/")
    assert response.status_code == 403


def test_staff_of_another_council_cannot_read_applications() -> None:
    from thrive.accounts.tests.factories import CouncilFactory

    application = SubmittedApplicationFactory()
    other = staff_with_role("council_admin", council=CouncilFactory(name="Eastvale"))
    assert _client(other).get(f"/applications/{application.pk}/review/").status_code == 403


def test_withdraw_and_reopen_pages() -> None:
    application = SubmittedApplicationFactory()
    client = _member_client(application)
    response = client.post(f"/applications/{application.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "Reopen" in client.get(response.url).content.decode()
    client.post(f"/applications/{application.pk}/reopen/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_editing_a_form_never_changes_a_pinned_application() -> None:
    from thrive.questions.services import add_form_version, change_form_version

    application = CompleteApplicationFactory()
    version = application.form_version
    admin = staff_with_role("system_admin")
    with pytest.raises(Exception, match="cannot change"):
        change_form_version(version=version, sections=[], actor=admin)
    new = add_form_version(
        template=version.template,
        sections=[{"key": "only", "title": "Only", "questions": []}],
        actor=admin,
    )
    application.refresh_from_db()
    assert application.form_version == version
    assert new.number == version.number + 1
    assert (
        "Your project"
        in _member_client(application).get(f"/applications/{application.pk}/").content.decode()
    )

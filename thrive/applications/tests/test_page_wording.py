"""Application and opportunity pages say what is true, once: counts, links back, closed forms,
the errors' links and the buttons offered."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications.models import ApplicationStatus, ScreeningResult
from thrive.applications.tests.factories import (
    ApplicationFactory,
    CompleteApplicationFactory,
    SubmittedApplicationFactory,
)
from thrive.applications.tests.test_views import _client, _member_client
from thrive.opportunities.models import OpportunityKind
from thrive.opportunities.tests.factories import OpportunityFactory, TenderFactory

pytestmark = pytest.mark.django_db


def _close(opportunity) -> None:
    opportunity.closes_at = timezone.now() - timedelta(seconds=1)
    opportunity.save()


def test_the_task_list_counts_every_section_it_lists() -> None:
    application = ApplicationFactory()
    text = _member_client(application).get(f"/applications/{application.pk}/").content.decode()
    listed = text.count("govuk-task-list__link") - 1  # the last link is "Check your answers"
    assert listed == len(application.form_version.sections) + 1
    assert f"You have completed 1 of {listed} sections" in text


def test_an_amount_over_the_limit_links_to_the_visible_amount_input() -> None:
    application = CompleteApplicationFactory(amount_requested_pence=600_000)
    application.answers = {**application.answers, "amount_requested": 600_000}
    application.save()
    client = _member_client(application)
    response = client.post(
        f"/applications/{application.pk}/check/", {"idempotency_key": "k1", "declaration": "on"}
    )
    text = response.content.decode()
    summary = text.split('govuk-error-summary__list"')[1].split("</ul>")[0]
    assert "must be £5,000 or less" in summary
    target = f"/applications/{application.pk}/pages/money/?check=1#id_amount_requested"
    assert f'href="{target}"' in summary
    assert "idempotency_key" not in summary
    page = client.get(target.split("#")[0]).content.decode()
    assert 'id="id_amount_requested"' in page
    assert "must be £5,000 or less" in page
    assert 'href="#id_amount_requested"' in page


def test_a_form_wide_error_never_links_to_a_hidden_field() -> None:
    application = ApplicationFactory()
    client = _member_client(application)
    response = client.post(
        f"/applications/{application.pk}/check/", {"idempotency_key": "k2", "declaration": "on"}
    )
    summary = response.content.decode().split('govuk-error-summary__list"')[1]
    links = re.findall(r'href="#([^"]+)"', summary.split("</ul>")[0])
    assert links
    assert "id_idempotency_key" not in links


def test_change_on_check_your_answers_comes_back_to_check_your_answers() -> None:
    application = CompleteApplicationFactory()
    client = _member_client(application)
    check = client.get(f"/applications/{application.pk}/check/").content.decode()
    change = f"/applications/{application.pk}/pages/project/?return=check"
    assert f'href="{change}"' in check
    page = client.get(change).content.decode()
    assert 'name="return" value="check"' in page
    assert f'href="/applications/{application.pk}/check/" class="govuk-back-link"' in page
    response = client.post(
        f"/applications/{application.pk}/pages/project/",
        {**application.answers, "project_title": "Costumes", "return": "check", "then": "continue"},
    )
    assert response.status_code == 302
    assert response.url == f"/applications/{application.pk}/check/"


def test_an_unknown_return_place_is_ignored() -> None:
    application = CompleteApplicationFactory()
    client = _member_client(application)
    response = client.post(
        f"/applications/{application.pk}/pages/project/",
        {**application.answers, "return": "https://evil.example/", "then": "later"},
    )
    assert response.url == f"/applications/{application.pk}/"
    page = client.get(f"/applications/{application.pk}/pages/project/?return=//evil.example")
    assert "evil.example" not in page.content.decode()


def test_after_the_deadline_a_draft_shows_closed_and_no_form() -> None:
    application = CompleteApplicationFactory()
    _close(application.opportunity)
    client = _member_client(application)
    tasks = client.get(f"/applications/{application.pk}/").content.decode()
    assert "Ready" not in tasks
    assert "Closed" in tasks
    assert "The deadline for this opportunity has passed" in tasks
    section = client.get(f"/applications/{application.pk}/pages/project/").content.decode()
    assert "The deadline for this opportunity has passed" in section
    assert "Save and continue" not in section
    assert 'name="project_title"' not in section
    check = client.get(f"/applications/{application.pk}/check/").content.decode()
    assert "Accept and submit" not in check
    assert "The deadline for this opportunity has passed" in check


def test_a_closed_draft_section_refuses_a_save_with_the_message() -> None:
    application = CompleteApplicationFactory()
    _close(application.opportunity)
    client = _member_client(application)
    response = client.post(
        f"/applications/{application.pk}/pages/project/",
        {"project_title": "Late change", "then": "later"},
        follow=True,
    )
    application.refresh_from_db()
    assert application.answers["project_title"] != "Late change"
    assert "The deadline for this opportunity has passed" in response.content.decode()


def test_an_optional_file_question_says_optional_once() -> None:
    application = ApplicationFactory()
    text = (
        _member_client(application)
        .get(f"/applications/{application.pk}/pages/documents/")
        .content.decode()
    )
    assert "(optional)" in text
    assert "(optional) (optional)" not in text


def test_the_staff_review_says_submitted_once() -> None:
    application = SubmittedApplicationFactory()
    officer = staff_with_role(Role.STRATEGY_GROUP, council=application.opportunity.council)
    response = _client(officer).get(f"/applications/{application.pk}/review/")
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    assert response.status_code == 200
    assert not re.search(r"Submitted\s+Submitted", text)


def test_a_rolling_scheme_says_it_is_open_all_year() -> None:
    opportunity = OpportunityFactory(closes_at=None, kind=OpportunityKind.SMALL_GRANTS)
    member = MembershipFactory()
    text = _client(member.user).get(f"/applications/start/{opportunity.pk}/").content.decode()
    assert "This opportunity is open all year" in text
    assert "The deadline is Open all year" not in text


def test_screening_an_eligible_application_needs_no_reasons() -> None:
    application = SubmittedApplicationFactory()
    _close(application.opportunity)
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=application.opportunity.council)
    client = _client(officer)
    assert (
        "Needed if the application is not eligible"
        in client.get(f"/applications/{application.pk}/screen/").content.decode()
    )
    response = client.post(f"/applications/{application.pk}/screen/", {"eligible": "yes"})
    assert response.status_code == 302
    assert application.screening.result == ScreeningResult.ELIGIBLE


def test_screening_as_not_eligible_still_needs_reasons() -> None:
    from thrive.applications.services import screening

    application = SubmittedApplicationFactory()
    _close(application.opportunity)
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=application.opportunity.council)
    with pytest.raises(Exception, match="Enter the reasons the application is not eligible"):
        screening.screen_application(
            application=application, actor=officer, eligible=False, reason=" "
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_open_the_bids_is_not_offered_before_the_deadline() -> None:
    opportunity = TenderFactory()
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=opportunity.council)
    client = _client(officer)
    page = client.get(f"/applications/open-bids/{opportunity.pk}/").content.decode()
    assert "Open the bids" not in page
    assert "<form" not in page.split("<main")[1]
    assert opportunity.closes_display in page
    _close(opportunity)
    page = client.get(f"/applications/open-bids/{opportunity.pk}/").content.decode()
    assert "Open the bids" in page


def test_the_opportunity_page_says_when_the_bids_can_be_opened() -> None:
    opportunity = TenderFactory()
    officer = staff_with_role(Role.PROCUREMENT_OFFICER, council=opportunity.council)
    page = _client(officer).get(f"/opportunities/manage/{opportunity.pk}/").content.decode()
    assert f"You can open them once the deadline, {opportunity.closes_display}" in page
    assert "Open the sealed bids" not in page

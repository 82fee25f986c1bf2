"""Process feedback (§5.2): once per decided application, by its organisation, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from thrive.accounts.tests.factories import MembershipFactory
from thrive.applications.models import ApplicationStatus
from thrive.audit.models import AuditEvent
from thrive.reporting import selectors, services
from thrive.reporting.models import ProcessFeedback
from thrive.reporting.selectors import Filters
from thrive.reporting.tests.factories import DecidedApplicationFactory, ProcessFeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return DecidedApplicationFactory()


@pytest.fixture
def member(client, application):
    user = MembershipFactory(organisation=application.organisation).user
    client.force_login(user)
    return user


def test_member_gives_feedback_once_and_it_is_audited(client, member, application) -> None:
    url = f"/reports/feedback/{application.pk}/"
    page = client.get(url).content.decode()
    assert "How clear was the process?" in page
    response = client.post(
        url, {"clarity": "4", "proportionality": "2", "fairness": "5", "comment": "Long form"}
    )
    assert response.status_code == 302
    feedback = ProcessFeedback.objects.get(application=application)
    assert (feedback.clarity, feedback.proportionality, feedback.fairness) == (4, 2, 5)
    assert feedback.directorate_id == application.opportunity.directorate_id
    assert feedback.opportunity_kind == application.opportunity.kind
    event = AuditEvent.objects.get(action="reporting.feedback.given")
    assert event.after["proportionality"] == 2
    again = client.post(url, {"clarity": "1", "proportionality": "1", "fairness": "1"})
    assert again.status_code == 200
    assert "Feedback on this application was given" in again.content.decode()
    assert ProcessFeedback.objects.count() == 1


def test_missing_scores_show_govuk_errors_and_save_nothing(client, member, application) -> None:
    response = client.post(f"/reports/feedback/{application.pk}/", {"clarity": "9"})
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Select how clear the process was, from 1 to 5" in content
    assert "Select how fair the process was, from 1 to 5" in content
    assert not ProcessFeedback.objects.exists()


def test_no_feedback_before_a_decision(client) -> None:
    application = DecidedApplicationFactory(status=ApplicationStatus.SUBMITTED)
    client.force_login(MembershipFactory(organisation=application.organisation).user)
    assert client.get(f"/reports/feedback/{application.pk}/").status_code == 403
    with pytest.raises(ValidationError, match="once a decision has been made"):
        services.give_process_feedback(
            application=application, actor=None, clarity=3, proportionality=3, fairness=3
        )


def test_other_organisations_cannot_give_feedback(client, application) -> None:
    client.force_login(MembershipFactory().user)
    assert client.get(f"/reports/feedback/{application.pk}/").status_code == 403


def test_results_by_directorate_and_kind_are_averages(application) -> None:
    ProcessFeedbackFactory(application=application, clarity=5, proportionality=3, fairness=4)
    second = DecidedApplicationFactory(opportunity=application.opportunity)
    ProcessFeedbackFactory(application=second, clarity=1, proportionality=1, fairness=2)
    summary = selectors.feedback_summary(Filters(application.opportunity.council))
    assert summary.overall.responses == 2
    assert summary.overall.clarity == 3.0
    (line,) = summary.by_directorate
    assert (line.proportionality, line.fairness) == (2.0, 3.0)
    assert line.is_low
    assert [low.label for low in summary.low] == [line.label, summary.by_kind[0].label]

"""Applicants' comments on the process reach the strategy group and commissioners (§5.2),
without naming the applicant, as the feedback form promises."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from thrive.accounts.models import Role, RoleAssignment
from thrive.accounts.tests.factories import CouncilFactory, UserFactory, staff_with_role
from thrive.reporting.tests.factories import ProcessFeedbackFactory
from thrive.strategy.tests.factories import DirectorateFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
URL = "/reports/feedback/"


def _feedback(comment: str, *, org: str, opportunity: str, when: datetime, **kwargs):
    return ProcessFeedbackFactory(
        comment=comment,
        application__organisation__name=org,
        application__opportunity__title=opportunity,
        application__submitted_by=UserFactory(first_name="Petra", last_name="Quill"),
        submitted_at=when,
        **kwargs,
    )


@pytest.fixture
def comments():
    first = _feedback(
        "The budget template was hard to follow",
        org="Ashbourne Food Bank",
        opportunity="Warm spaces fund",
        when=datetime(2025, 6, 3, 10, tzinfo=LONDON),
    )
    children = DirectorateFactory(council=first.council, code="children", name="Children")
    second = _feedback(
        "Quick and fair",
        org="Hilltop Carers",
        opportunity="Carers breaks",
        when=datetime(2026, 5, 2, 10, tzinfo=LONDON),
        application__opportunity__directorate=children,
    )
    _feedback(
        "",
        org="Silent Group",
        opportunity="Carers breaks again",
        when=datetime(2026, 5, 2, 11, tzinfo=LONDON),
    )
    return first, second


def _as(client, role, council=None, **kwargs):
    user = staff_with_role(role, council=council or CouncilFactory(name="Westshire County Council"))
    for key, value in kwargs.items():
        RoleAssignment.objects.filter(user=user).update(**{key: value})
    client.force_login(user)
    return client


def test_the_strategy_group_reads_every_comment_without_who_wrote_it(client, comments) -> None:
    page = _as(client, Role.STRATEGY_GROUP).get(URL).content.decode()
    assert "The budget template was hard to follow" in page and "Quick and fair" in page
    assert "Warm spaces fund" in page and "June 2025" in page
    assert "2 comments" in page
    for private in ["Ashbourne Food Bank", "Hilltop Carers", "Petra", "Quill", "Silent Group"]:
        assert private not in page


def test_comments_are_filtered_by_opportunity_and_year(client, comments) -> None:
    _, second = comments
    reader = _as(client, Role.STRATEGY_GROUP)
    by_opportunity = reader.get(URL, {"opportunity": second.application.opportunity_id})
    assert "Quick and fair" in by_opportunity.text
    assert "hard to follow" not in by_opportunity.text
    by_year = reader.get(URL, {"year": 2025}).text
    assert "hard to follow" in by_year and "Quick and fair" not in by_year


def test_a_commissioner_reads_only_their_directorates_comments(client, comments) -> None:
    first, _ = comments
    page = _as(client, Role.COMMISSIONER, directorate=first.directorate).get(URL).content.decode()
    assert "hard to follow" in page and "Quick and fair" not in page


def test_the_comments_export_as_csv_without_the_applicant(client, comments) -> None:
    response = _as(client, Role.STRATEGY_GROUP).get(
        reverse("reporting:feedback_comments_export"), {"format": "csv", "year": 2026}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="applicants-comments')
    text = response.content.decode()
    assert "Quick and fair" in text and "May 2026" in text
    assert "hard to follow" not in text and "Hilltop Carers" not in text


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_comments_export_as_spreadsheets(client, comments, fmt) -> None:
    response = _as(client, Role.STRATEGY_GROUP).get(
        reverse("reporting:feedback_comments_export"), {"format": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_another_councils_strategy_group_does_not_read_these_comments(client, comments) -> None:
    other = CouncilFactory(name="Eastvale Borough Council")
    page = _as(client, Role.STRATEGY_GROUP, council=other).get(URL).content.decode()
    assert "hard to follow" not in page and "Quick and fair" not in page


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN])
def test_other_report_readers_are_refused_and_shown_no_link(client, comments, role) -> None:
    reader = _as(client, role)
    assert reader.get(URL).status_code == 403
    assert reverse("reporting:feedback_comments") not in reader.get("/reports/").text


def test_the_reports_link_to_the_comments_for_the_strategy_group(client, comments) -> None:
    dashboard = _as(client, Role.STRATEGY_GROUP).get("/reports/").text
    assert f'href="{reverse("reporting:feedback_comments")}"' in dashboard


def test_the_comments_page_keeps_a_bounded_number_of_queries(
    client, comments, django_assert_max_num_queries
) -> None:
    reader = _as(client, Role.STRATEGY_GROUP)
    for n in range(20):
        _feedback(
            f"Comment {n}",
            org=f"Org {n}",
            opportunity=f"Fund {n}",
            when=datetime(2026, 4, 2, 10, tzinfo=LONDON),
        )
    with django_assert_max_num_queries(12):
        assert reader.get(URL).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_strategy_group_reaches_the_comments_from_the_reports(live_server, page) -> None:
    from thrive.accounts.tests.factories import PASSWORD
    from thrive.testing.browser import assert_accessible, sign_in

    feedback = _feedback(
        "The budget template was hard to follow",
        org="Ashbourne Food Bank",
        opportunity="Warm spaces fund",
        when=datetime(2025, 6, 3, 10, tzinfo=LONDON),
    )
    user = staff_with_role(Role.STRATEGY_GROUP, council=feedback.council)
    sign_in(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Applicants' comments").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Applicants' comments on the process"
    )
    assert "hard to follow" in page.content()
    assert_accessible(page)
    page.get_by_label("Opportunity").select_option(label="Warm spaces fund")
    page.get_by_role("button", name="Show comments").click()
    assert "opportunity=" in page.url
    assert_accessible(page)

"""Browser journeys with axe checks: a commissioner takes a need to a published intention;
decommissioning notices warn when late and are read by the organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from thrive.accounts.tests.factories import PASSWORD, MembershipFactory
from thrive.commissioning.models import Intention, IntentionStatus
from thrive.commissioning.tests.factories import AreaFactory, AwardFactory, IntentionFactory
from thrive.strategy.models import Outcome
from thrive.testing.browser import assert_accessible, sign_in


def go(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_commissioner_takes_a_need_to_a_published_intention(
    live_server, page, commissioner, directorate
) -> None:
    AreaFactory(council=directorate.council, name="Brackenford")
    sign_in(page, live_server, commissioner.username, PASSWORD)

    go(page, f"{live_server.url}/commissioning/needs/")
    page.get_by_role("link", name="Record a need").click()
    assert_accessible(page)
    submit(page, "Record need")
    assert "Enter the name of the need" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Name of the need").fill("Isolation of older people")
    page.get_by_label("Describe the need").fill("Older people in villages see nobody for days.")
    page.get_by_label("Area").select_option(label="Brackenford")
    page.get_by_label("Older people").check()
    page.get_by_label("PO3: Feel treated with dignity in care").check()
    submit(page, "Record need")
    assert page.get_by_role("heading", level=1).inner_text() == "Isolation of older people"

    page.get_by_role("link", name="Add evidence").click()
    assert_accessible(page)
    page.get_by_label("Where the evidence comes from").select_option(
        label="Service user feedback and satisfaction"
    )
    page.get_by_label("Title").fill("Survey of day centre users")
    page.get_by_label("Link (optional if you attach a file)").fill("https://example.org/survey")
    submit(page, "Add evidence")
    assert "Survey of day centre users" in page.content()

    go(page, f"{live_server.url}/commissioning/intentions/")
    page.get_by_role("link", name="Write an intention").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Village befriending")
    page.get_by_label("Summary").fill("Volunteers visit isolated older people every week.")
    page.get_by_label("New service sought").check()
    page.get_by_label("PO3: Feel treated with dignity in care", exact=True).first.check()
    page.get_by_label("Isolation of older people").check()
    submit(page, "Save and continue")
    intention = Intention.objects.get(title="Village befriending")
    expect(page.locator(".govuk-task-list")).to_be_visible()

    page.get_by_role("link", name="Service specification").click()
    assert_accessible(page)
    page.get_by_label("Aims and objectives").fill("Fewer lonely people")
    page.get_by_label("Outcomes sought").fill("Weekly contact for 200 people")
    page.get_by_label("Target group").fill("People over 75 living alone")
    submit(page, "Save and continue")

    page.get_by_role("link", name="Budget, pot and length of funding").click()
    assert_accessible(page)
    page.get_by_label("Budget for the whole term").fill("4,500")
    page.get_by_label("Service starts").fill("1/4/2027")
    page.get_by_label("Service ends").fill("31/3/2030")
    submit(page, "Save and continue")

    page.get_by_role("link", name="Equality impact assessment", exact=True).click()
    assert_accessible(page)
    submit(page, "Complete the assessment")
    assert "Select the impact on age" in page.locator(".govuk-error-summary").inner_text()
    for radio in page.locator("input[type=radio][value=neutral]").all():
        radio.check()
    submit(page, "Complete the assessment")
    assert "Equality impact assessment completed." in page.content()

    page.get_by_role("link", name="Consultation", exact=True).click()
    assert_accessible(page)
    submit(page, "Open consultation")
    assert "Consultation open until" in page.content()
    go(page, f"{live_server.url}/commissioning/intentions/{intention.pk}/")

    page.get_by_role("link", name="Method advisor", exact=True).click()
    assert_accessible(page)
    page.get_by_label("There is an opportunity to pilot new provision (§2.8)").check()
    page.get_by_label("Social, health, education or similar services (light-touch)").check()
    submit(page, "Get a recommendation")
    assert "Recommended: Small grant" in page.locator("main").inner_text()
    submit(page, "Confirm the method")

    page.get_by_role("link", name="Check and approve").click()
    assert_accessible(page)
    submit(page, "Approve intention")
    # Publishing waits for the intention's own consultation to close (§1.5).
    assert "The consultation" in page.content() and "closes on" in page.content()
    expect(page.get_by_role("link", name="Publish", exact=True)).to_have_count(0)
    intention.consultations.update(
        opens_on=F("opens_on") - timedelta(days=60),
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    go(page, f"{live_server.url}/commissioning/intentions/{intention.pk}/")
    page.get_by_role("link", name="Publish", exact=True).click()
    assert_accessible(page)
    submit(page, "Publish intention")
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.PUBLISHED

    page.context.clear_cookies()
    go(page, f"{live_server.url}/intentions/")
    page.get_by_role("link", name="Village befriending").click()
    assert_accessible(page)
    assert "Volunteers visit isolated older people every week." in page.content()


@pytest.mark.django_db(transaction=True)
def test_late_notice_is_warned_then_sent_and_read(
    live_server, page, commissioner, directorate
) -> None:
    intention = IntentionFactory(
        council=directorate.council,
        directorate=directorate,
        title="Day centres no longer prioritised",
        direction="decommissioning",
        status=IntentionStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    stopped = Outcome.objects.get(council=directorate.council, code="DLC6")
    intention.stopped_outcomes.add(stopped)
    today = timezone.localdate()
    soon = AwardFactory(
        council=directorate.council,
        directorate=directorate,
        title="Day centre",
        end_date=today + timedelta(days=30),
    )
    later = AwardFactory(
        council=directorate.council,
        directorate=directorate,
        title="Lunch club",
        end_date=today + timedelta(days=300),
    )
    for award in (soon, later):
        award.outcomes.add(stopped)
    member = MembershipFactory(organisation=soon.organisation, is_admin=True)

    sign_in(page, live_server, commissioner.username, PASSWORD)
    go(page, f"{live_server.url}/commissioning/intentions/{intention.pk}/notices/")
    assert page.locator(".govuk-tag--red", has_text="Late").count() == 1
    for box in page.locator("input[name=awards]").all():
        box.check()
    page.get_by_label("Message to the organisations").fill("We will stop funding this service.")
    submit(page, "Send notices")
    assert "Notice is late for" in page.locator(".govuk-error-summary").inner_text()
    for box in page.locator("input[name=awards]").all():
        box.check()
    page.get_by_label("Message to the organisations").fill("We will stop funding this service.")
    page.get_by_label("If a notice is late, why").fill("The budget decision came late.")
    submit(page, "Send notices")
    assert "2 notices sent." in page.content()

    page.context.clear_cookies()
    sign_in(page, live_server, member.user.username, PASSWORD)
    go(page, f"{live_server.url}/notices/")
    page.get_by_role("link", name="Day centre").click()
    assert_accessible(page)
    assert "will no longer be prioritised" in page.get_by_role("heading", level=1).inner_text()
    assert intention.notices.get(award=soon).read_at is not None

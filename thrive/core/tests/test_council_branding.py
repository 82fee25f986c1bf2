"""Every record speaks for its own council (DESIGN §4): pages, PDFs and emails about a record
of the second council on an installation carry that council's name and never another's.

The records are the route matrix's world, made for a council renamed "Eastvale Borough
Council"; the first council (the one configuration names) has a name no page could show by
accident. Every page of the route matrix is read as each outside actor (the public and
provider users) and the first staff actor given it, and every email template is sent.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.template.utils import get_app_template_dirs
from django.test import Client
from django.urls import reverse

from thrive.accounts.models import Council
from thrive.accounts.tests.factories import CouncilFactory
from thrive.core.email import render_email
from thrive.core.models import ExportJob
from thrive.testing.routes import ACTORS, STAFF_ROLES, World, all_expectations, make_world

FIRST = "Quillhaven Unmistakable Council"
SECOND = "Eastvale Borough Council"
INSTALLATION = "Shared Commissioning Service"

# Pages about one record of a council: they carry the record's council for everyone.
COUNCIL_PAGES = {
    "applications:check",
    "applications:eligibility",
    "applications:organisation",
    "applications:receipt",
    "applications:section",
    "applications:start",
    "applications:tasks",
    "applications:withdraw",
    "assessment:feedback",
    "awards:letter",
    "awards:letter_pdf",
    "awards:yours_detail",
    "commissioning:consultation_public",
    "commissioning:consultation_respond",
    "commissioning:market_test_respond",
    "commissioning:notice",
    "commissioning:public_intention",
    "monitoring:plan",
    "monitoring:return",
    "monitoring:return_edit",
    "opportunities:ask",
    "opportunities:detail",
    "reporting:feedback",
    "strategy:sector_survey_answer",
}

# The installation's own statements, whoever reads them.
INSTALLATION_PAGES = {"core:accessibility", "core:privacy"}

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_HEADER = re.compile(r'class="app-header__link">(.*?)</a>', re.S)
_FOOTER = re.compile(r"<footer.*?</footer>", re.S)


def second_council_world() -> World:
    """The route matrix's world, its records belonging to a second council of the installation."""
    first = CouncilFactory(name=FIRST, slug="quillhaven")
    world = make_world()
    records = world.users["commissioner"].council
    Council.objects.filter(pk=records.pk).update(
        name=SECOND,
        slug="eastvale-borough",
        contact_email="funding@eastvale.example",
        phone="01632 960 123",
    )
    world.council = Council.objects.get(pk=records.pk)
    world.first_council = first
    return world


@pytest.fixture
def second_world(db, settings) -> World:
    settings.THRIVE_COUNCIL_NAME = FIRST
    settings.THRIVE_INSTALLATION_NAME = INSTALLATION
    return second_council_world()


def other_names(world: World) -> list[str]:
    """Names that must not appear on a page about the second council's record."""
    return [FIRST, "Westshire", world.other_council.name]


def _viewers(expect: Any) -> list[str]:
    """Every outside actor given the page, and the first member of staff given it."""
    allowed = [actor for actor in ACTORS if expect.status_for(actor) == 200]
    outside = [a for a in allowed if a not in STAFF_ROLES]
    staff = [a for a in allowed if a in STAFF_ROLES][:1]
    return outside + staff


def _text(response: Any) -> str | None:
    """The response as text, or None for a binary download (a spreadsheet)."""
    kind = response.get("Content-Type", "")
    if not kind.startswith(("text/", "application/json", "application/pdf", "application/atom")):
        return None
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


def _chrome(page: str) -> str:
    """The title, header and footer of a page: what says whose page it is."""
    parts = [m.group(0) for regex in (_TITLE, _HEADER, _FOOTER) for m in regex.finditer(page)]
    return "\n".join(parts)


def _headings(name: str, actor: str) -> set[str]:
    """Whose name may head the page: the record's council on a page about a record; the
    installation's on a statement; the staff member's council on a staff page."""
    if name in COUNCIL_PAGES:
        return {SECOND}
    if name in INSTALLATION_PAGES:
        return {INSTALLATION}
    if actor == "system_admin":
        return {INSTALLATION}  # of no one council
    return {SECOND} if actor in STAFF_ROLES else {SECOND, INSTALLATION}


def _problems(name: str, actor: str, page: str, world: World) -> list[str]:
    expect = all_expectations()[name]
    about_a_record = expect.kwargs is not None
    checked = page if about_a_record else _chrome(page)
    found = [
        f"{name} as {actor} shows {other!r}" for other in other_names(world) if other in checked
    ]
    header = _HEADER.search(page)
    if header is not None and header.group(1).strip() not in _headings(name, actor):
        found.append(f"{name} as {actor} is headed {header.group(1).strip()!r}")
    if name in COUNCIL_PAGES and SECOND not in page:
        found.append(f"{name} as {actor} does not name {SECOND}")
    return found


@pytest.fixture
def pdf_as_html(monkeypatch) -> None:
    """Let a PDF's HTML be read: the layout is tested elsewhere, the words here."""
    monkeypatch.setattr("thrive.core.pdf.html_to_pdf", lambda html: html.encode())


def test_every_page_about_a_second_council_record_names_only_that_council(
    second_world: World, pdf_as_html: None
) -> None:
    problems, checked = [], 0
    for name, expect in sorted(all_expectations().items()):
        url = reverse(name, kwargs=expect.kwargs(second_world) if expect.kwargs else None)
        for actor in _viewers(expect):
            client = Client(raise_request_exception=False)
            if second_world.users[actor] is not None:
                client.force_login(second_world.users[actor])
            response = client.get(url)
            page = _text(response) if response.status_code == 200 else None
            if page is None:
                continue
            checked += 1
            problems += _problems(name, actor, page, second_world)
    assert checked > 100
    assert problems == [], "\n".join(problems)


def test_a_page_about_the_first_council_record_is_caught(
    second_world: World, pdf_as_html: None
) -> None:
    """The check above fails when a record page shows the configured council's name."""
    page = f"<title>Opportunity – Thrive – {FIRST}</title>"
    assert _problems("opportunities:detail", "anonymous", page, second_world)


def test_record_page_footer_gives_the_council_contact_details(second_world: World) -> None:
    opportunity = second_world.opportunity
    page = Client().get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    footer = _FOOTER.search(page).group(0)
    assert f"Run by {SECOND}." in footer
    assert "mailto:funding@eastvale.example" in footer and "01632 960 123" in footer
    assert opportunity.title in page


def test_pages_of_no_council_carry_the_installation_name(second_world: World) -> None:
    for url in ("/", reverse("accounts:login"), reverse("opportunities:list")):
        page = Client().get(url).content.decode()
        assert INSTALLATION in _HEADER.search(page).group(1), url
        assert f"{INSTALLATION} is shared by the councils that use it" in page, url


def test_statements_name_the_installation_and_every_council(second_world: World) -> None:
    client = Client()
    client.force_login(second_world.users["commissioner"])
    for name in ("core:accessibility", "core:privacy"):
        page = client.get(reverse(name)).content.decode()
        assert INSTALLATION in _HEADER.search(page).group(1), name
        assert FIRST in page and SECOND in page, name


def test_staff_pages_carry_the_staff_member_council(second_world: World) -> None:
    client = Client()
    client.force_login(second_world.users["commissioner"])
    page = client.get("/").content.decode()
    assert SECOND in _HEADER.search(page).group(1)
    client.force_login(second_world.users["other_council_commissioner"])
    page = client.get("/").content.decode()
    assert second_world.other_council.name in _HEADER.search(page).group(1)


# --- emails -------------------------------------------------------------------------------


def email_templates() -> list[str]:
    """Every email on the installation: each ``emails/<name>_subject.txt`` in any template
    folder, so a new email is checked the day it is added."""
    folders = [Path(d) for d in django_settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(d) for d in get_app_template_dirs("templates")]
    return sorted(
        {
            path.name.removesuffix("_subject.txt")
            for folder in folders
            for path in (folder / "emails").glob("*_subject.txt")
        }
    )


def _fresh(record: Any) -> Any:
    return type(record).objects.get(pk=record.pk)


def _any_record_context(world: World) -> dict[str, Any]:
    """The second council's records (read again, as renamed) under the names the email
    templates use."""
    application = _fresh(world.submitted)
    return {
        "application": application,
        "submission": application.submissions.first(),
        "opportunity": _fresh(world.opportunity),
        "organisation": _fresh(world.organisation),
        "award": _fresh(world.award_offered),
        "item": _fresh(world.submitted_return),
        "notice": _fresh(world.notice),
        "test": _fresh(world.market_test),
        "clarification": _fresh(world.clarification),
        "decision": _fresh(world.assessment_decision),
        "invitation": _fresh(world.invitation),
        "join": _fresh(world.join_request),
        "membership": _fresh(world.member_membership),
        "user": _fresh(world.users["provider_admin"]),
        "recipient": _fresh(world.users["commissioner"]),
        "job": ExportJob(
            pk=1,
            user=_fresh(world.users["commissioner"]),
            council=world.council,
            title="Awards",
            fmt="csv",
            row_count=60000,
        ),
        "successful": True,
        "path": "/",
        "alerts_path": "/",
        "days": 3,
        "items": [],
    }


def _email_problems(
    name: str, parts: tuple[str, ...], world: World, *, signed: bool = True
) -> list[str]:
    """Another council's name anywhere; with ``signed``, a part not signed by the council."""
    text = "\n".join(parts)
    found = [f"{name} shows {other!r}" for other in other_names(world) if other in text]
    for label, part in zip(("text", "HTML"), parts[1:], strict=True):
        if not signed:
            break
        if SECOND not in part or "funding@eastvale.example" not in part:
            found.append(f"{name}: the {label} part is not signed by {SECOND} with its contact")
    return found


def test_every_email_about_a_second_council_record_is_signed_by_that_council_alone(
    second_world: World,
) -> None:
    names = email_templates()
    assert {"application_receipt", "award_offered", "password_reset"} <= set(names)
    context = _any_record_context(second_world)
    problems = []
    for name in names:
        parts = render_email(name, context, council=second_world.council)
        problems += _email_problems(name, parts, second_world, signed=False)
    assert problems == [], "\n".join(problems)


def test_emails_of_no_council_are_signed_by_the_installation(second_world: World) -> None:
    from thrive.accounts import tasks as account_tasks

    account_tasks.send_password_reset_email.call(second_world.users["provider_admin"].pk)
    (message,) = mail.outbox
    assert INSTALLATION in message.body
    assert not [n for n in [SECOND, *other_names(second_world)] if n in message.body]


def test_tasks_email_each_record_signed_by_its_own_council(second_world: World) -> None:
    """The callers hand the record's council to the renderer: every message the tasks send
    about the second council's records is signed by it, with its contact details."""
    from thrive.accounts import tasks as account_tasks
    from thrive.applications import tasks as application_tasks
    from thrive.assessment import tasks as assessment_tasks
    from thrive.awards import tasks as award_tasks
    from thrive.commissioning import tasks as commissioning_tasks
    from thrive.monitoring import tasks as monitoring_tasks
    from thrive.opportunities import tasks as opportunity_tasks
    from thrive.opportunities.models import QuoteInvitation

    world = second_world
    application_tasks.send_receipt.call(world.submitted.submissions.first().pk)
    award_tasks.send_offer.call(world.award_offered.pk)
    commissioning_tasks.send_decommissioning_notice.call(world.notice.pk)
    world.market_test.invited.add(world.organisation)
    commissioning_tasks.send_market_test_invitations.call(world.market_test.pk)
    invitation = QuoteInvitation.objects.create(
        opportunity=world.opportunity, organisation=world.organisation
    )
    opportunity_tasks.send_quote_invitation.call(invitation.pk)
    assessment_tasks.send_outcome.call(
        world.assessment_application.pk, world.assessment_decision.pk
    )
    monitoring_tasks.send_return_decision.call(world.submitted_return.pk)
    account_tasks.send_welcome_email.call(world.users["commissioner"].pk)
    assert len(mail.outbox) >= 8
    problems = []
    for message in mail.outbox:
        parts = (message.subject, message.body, message.alternatives[0][0])
        problems += _email_problems(message.subject, parts, world)
    assert problems == [], "\n".join(problems)

"""Every edit form accepts what it renders: posted back unchanged, it saves and changes nothing.

The forms are found from the route table (``<app>/tests/routes.py``): each route is opened,
as the first user allowed to see it, with the objects ``make_world`` made. A route whose
page posts a form to itself with values already filled in (text, a chosen option, a ticked
box) is either an edit form, tried here, or named in ``NOT_ROUND_TRIPPED`` with the reason.
A new pre-filled form that is in neither list fails ``test_every_prefilled_form_is_classified``.

Posting back means what a browser sends: every input's value (the CSRF token too), the
selected options, ticked boxes and radios, and textareas' text. Success is a redirect, or the
page again without an error summary; the database must be as it was, apart from ``updated_at``
stamps and the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from thrive.testing.forms import (
    changes,
    client_for,
    error_summary,
    own_post_form,
    snapshot,
    url_for,
)
from thrive.testing.routes import ACTORS, World, all_expectations

# Routes whose page is an edit form of an existing record or of a council's settings.
EDIT_FORMS = [
    "accounts:account",
    "accounts:staff_edit",
    "assessment:settings",
    "awards:edit",
    "awards:schedule",
    "awards:social_value",
    "awards:targets",
    "commissioning:intention_basics",
    "commissioning:intention_eqia",
    "commissioning:intention_funding",
    "commissioning:intention_method",
    "commissioning:intention_specification",
    "commissioning:need_edit",
    "commissioning:need_score",
    "commissioning:settings",
    "monitoring:return_edit",
    "monitoring:settings",
    "monitoring:tier_edit",
    "opendata:settings",
    "opportunities:alerts",
    "opportunities:edit",
    "organisations:edit",
    "organisations:member_role",
    "strategy:action_edit",
    "strategy:action_status",
    "strategy:directorate_edit",
    "strategy:outcome_edit",
    "strategy:survey_edit",
    "strategy:threshold_edit",
]

# Pre-filled forms that are not edits: posting them unchanged makes something new or acts.
NOT_ROUND_TRIPPED = {
    "applications:decide": "decides the application; the amount asked for is the suggestion",
    "commissioning:consultation_add": "adds a consultation; the opening date is today's",
    "commissioning:consultation_respond": "a response; the organisation is the one you act for",
    "commissioning:intention_consultation": "adds a consultation, suggested from the intention",
    "commissioning:intention_method_confirm": "confirms the advised method; it is the suggestion",
    "commissioning:market_test_add": "adds a market test; its questions are a suggestion",
    "commissioning:market_test_respond": "a response; the organisation is the one you act for",
    "monitoring:lead_appoint": "appoints a lead funder; the directorate is a suggestion",
    "monitoring:tier_add": "adds a tier; its schedule and sizes are the defaults",
    "opportunities:add_criterion": "adds a criterion; its kind and formula are the defaults",
    "opportunities:answer": "answers a question; the anonymised question is a suggestion",
    "strategy:directorate_add": "adds a directorate; 'in use' is ticked by default",
    "strategy:outcome_add": "adds an outcome; its position and 'in use' are defaults",
    "strategy:threshold_add": "adds a threshold set, copied from the current one",
}

# Edit forms whose unchanged post is refused for a good reason, with the message expected.
REFUSED_UNCHANGED = {
    "applications:small_grants_settings": "Enter why you are changing the scheme",
    "strategy:pot_budget": "Enter the reason for changing the budget",
}

# Settings kept as defaults until first saved: the round trip is of the saved record.
SAVED_FIRST = {
    "assessment:settings",
    "commissioning:need_score",
    "commissioning:settings",
    "monitoring:settings",
    "opendata:settings",
    "opportunities:alerts",
}

# The button pressed when it is not the first (the first submits or completes the record).
PRESSED = {"commissioning:intention_eqia": "draft", "monitoring:return_edit": "save"}

# Known faults outside the forms, each with what is wrong; the test fails once they are fixed.
KNOWN_FAULTS: dict[str, str] = {}


def _fill_opportunity(world: World) -> None:
    """The opportunity of the finding: a decision date, a deadline for questions, choices."""
    from datetime import timedelta

    from thrive.core.models import Area
    from thrive.opportunities.models import Opportunity

    opportunity = world.opportunity
    Opportunity.objects.filter(pk=opportunity.pk).update(
        decision_expected=date(2027, 2, 15),
        clarification_deadline=opportunity.closes_at - timedelta(days=7),
        value_pence=1_234_567_89,
        max_award_pence=1_000_00,
        description="Who may apply:\n\n- groups in the county\n- with a bank account",
    )
    opportunity.outcomes.add(world.outcome)
    opportunity.areas.add(*Area.objects.filter(council=opportunity.council)[:2])


def _fill_need(world: World) -> None:
    from thrive.core.models import BeneficiaryGroup

    world.need.description = "Older people alone at home.\n\nFewer buses since 2024."
    world.need.save(update_fields=["description"])
    world.need.groups.add(*BeneficiaryGroup.objects.all()[:2])
    world.need.outcomes.add(world.outcome)


def _fill_funding(world: World) -> None:
    from thrive.commissioning.services import intentions as services

    services.update_funding(
        intention=world.intention,
        budget_pence=1_234_567_89,
        pot=None,
        service_start=date(2027, 4, 1),
        service_end=date(2030, 3, 31),
        procurement_start=date(2027, 1, 15),
        short_term_justification="",
        actor=world.users["commissioner"],
    )


def _fill_eqia(world: World) -> None:
    from thrive.commissioning.services import equality as services

    services.save_equality_assessment(
        intention=world.intention,
        impacts={
            group.pk: {"impact": "neutral", "evidence": "Census 2021", "mitigation": ""}
            for group in services.protected_characteristics()
        },
        summary="No group is affected differently.\nReviewed by the equality lead.",
        complete=False,
        actor=world.users["commissioner"],
    )


def _fill_return(world: World) -> None:
    from decimal import Decimal

    from thrive.monitoring import services

    item = world.due_return
    services.save_return(
        monitoring_return=item,
        actor=None,
        spends={award.pk: 1_234_56 for award in item.plan.awards.all()},
        progress={
            target.pk: (Decimal("12.5"), "On track")
            for award in item.plan.awards.all()
            for target in award.targets.all()
        },
        volunteers_count=12,
        volunteer_hours=Decimal("1234.5"),
        narrative="A good quarter.\n\nTwo new volunteers.",
    )


def _fill_thresholds(world: World) -> None:
    """The default thresholds gain their creator when first saved; give them one first."""
    from thrive.strategy.models import ThresholdSet

    ThresholdSet.objects.filter(created_by=None).update(created_by=world.users["system_admin"])


# Records given their optional values before the round trip, so every kind of field is tried.
FILL: dict[str, Callable[[World], None]] = {
    "commissioning:intention_eqia": _fill_eqia,
    "commissioning:intention_funding": _fill_funding,
    "commissioning:need_edit": _fill_need,
    "monitoring:return_edit": _fill_return,
    "opportunities:edit": _fill_opportunity,
    "strategy:threshold_edit": _fill_thresholds,
}


def first_allowed(name: str) -> str:
    expect = all_expectations()[name]
    return next(actor for actor in ACTORS if expect.status_for(actor) == 200)


def _round_trip(name: str, world: World) -> tuple[Any, list[str]]:
    """Post the edit form back as rendered; return the answer and what changed."""
    if name in FILL:
        FILL[name](world)
    client = client_for(world.users[first_allowed(name)])
    url = url_for(name, world)
    if name in SAVED_FIRST:
        first = own_post_form(client.get(url).content.decode(), url)
        assert first is not None and client.post(url, first.submission()).status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    form = own_post_form(page.content.decode(), url)
    assert form is not None, f"{name} has no form posting to itself"
    before = snapshot()
    response = client.post(url, form.submission(PRESSED.get(name)))
    return response, changes(before, snapshot())


def _edit_form_params() -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAULTS[name]))
        if name in KNOWN_FAULTS
        else name
        for name in EDIT_FORMS
    ]


@pytest.mark.parametrize("name", _edit_form_params())
def test_edit_form_posted_back_unchanged_saves_and_changes_nothing(name: str, world: World) -> None:
    response, changed = _round_trip(name, world)

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert error_summary(response.content.decode()) == []
    assert changed == [], "\n".join(changed)


@pytest.mark.parametrize("name", sorted(REFUSED_UNCHANGED))
def test_edit_form_refuses_an_unchanged_post_only_with_its_reason(name: str, world: World) -> None:
    response, changed = _round_trip(name, world)

    assert response.status_code == 200
    assert error_summary(response.content.decode()) == [REFUSED_UNCHANGED[name]]
    assert changed == []


def test_every_prefilled_form_is_classified(world: World) -> None:
    unclassified = []
    for name, expect in sorted(all_expectations().items()):
        if name in EDIT_FORMS or name in NOT_ROUND_TRIPPED or name in REFUSED_UNCHANGED:
            continue
        actor = next((a for a in ACTORS if expect.status_for(a) == 200), None)
        if actor is None:
            continue
        url = url_for(name, world)
        page = client_for(world.users[actor]).get(url)
        if not page["Content-Type"].startswith("text/html"):
            continue
        form = own_post_form(page.content.decode(), url)
        if form is not None and form.prefilled:
            unclassified.append(f"{name}: {form.prefilled}")
    assert unclassified == [], "\n".join(unclassified)


def test_form_reader_sends_what_a_browser_sends() -> None:
    html = """
    <form method="get"><input name="q" value="ignored"></form>
    <form method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input name="title" value="Fish &amp; chips">
      <input type="checkbox" name="tick" value="a" checked>
      <input type="checkbox" name="tick" value="b">
      <input type="radio" name="pick" value="1"><input type="radio" name="pick" value="2" checked>
      <select name="one"><option value="">Choose</option><option value="7">Seven</option></select>
      <select name="many" multiple>
        <option value="1" selected>A</option><option value="2" selected>B</option>
      </select>
      <textarea name="notes">
Line one
Line two</textarea>
      <input type="file" name="upload">
      <button name="action" value="submit">Submit</button>
      <button name="action" value="save">Save</button>
    </form>"""
    form = own_post_form(html, "/here/")
    assert form is not None
    assert form.submission() == {
        "csrfmiddlewaretoken": ["tok"],
        "title": ["Fish & chips"],
        "tick": ["a"],
        "pick": ["2"],
        "one": [""],
        "many": ["1", "2"],
        "notes": ["Line one\r\nLine two"],
        "action": ["submit"],
    }
    assert form.prefilled == ["title", "tick", "pick", "many", "many", "notes"]
    assert form.buttons == [("action", "submit"), ("action", "save")]

"""The to-do list: the registry, the page, the API, the home pages and the navigation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import MembershipFactory, UserFactory, staff_with_role
from thrive.applications.tests.factories import ApplicationFactory
from thrive.assessment.tests.factories import WinnerFactory
from thrive.core import navigation, worklist
from thrive.testing.routes import STAFF_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()


def _approver_with_waiting_decision():
    decision = WinnerFactory(amount_pence=1_000_000).decision
    return staff_with_role(Role.FINANCE_OFFICER, council=decision.opportunity.council), decision


def test_items_are_sorted_oldest_first_and_counted_by_kind():
    user = UserFactory()
    now = timezone.now()
    made = [
        worklist.WorkItem("b", "New", "/b/", now),
        worklist.WorkItem("a", "Old", "/a/", now - timedelta(days=3)),
        worklist.WorkItem("b", "Older", "/b/", now - timedelta(days=1)),
    ]

    def provider(u):
        return made if u == user else []

    worklist.add(provider)
    try:
        mine = [i for i in worklist.items_for(user) if i.kind in ("a", "b")]
        assert [i.title for i in mine] == ["Old", "Older", "New"]
        assert mine[0].age_text == "3 days"
        assert worklist.counts_for(user) == {"a": 1, "b": 2}
    finally:
        worklist._PROVIDERS.remove(provider)


def test_anonymous_and_inactive_people_have_nothing_to_do():
    from django.contrib.auth.models import AnonymousUser

    assert worklist.items_for(AnonymousUser()) == []
    approver, _decision = _approver_with_waiting_decision()
    approver.is_active = False
    assert worklist.items_for(approver) == []


def test_page_groups_the_items_with_their_links_and_ages(client):
    approver, decision = _approver_with_waiting_decision()
    client.force_login(approver)

    response = client.get(reverse("core:tasks"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Decisions awaiting your approval" in html
    assert reverse("assessment:decision", args=[decision.pk]) in html
    assert "Today" in html


def test_page_says_when_nothing_is_waiting(client):
    client.force_login(staff_with_role(Role.ASSESSOR))

    response = client.get(reverse("core:tasks"))

    assert "Nothing is waiting for you" in response.content.decode()


def test_page_asks_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    approver, _decision = _approver_with_waiting_decision()
    for _ in range(5):
        WinnerFactory(amount_pence=1_000, decision__opportunity__council=approver.council)
    client.force_login(approver)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("core:tasks"))
    assert response.content.decode().count('href="/assessment/decisions/') == 6


def test_api_lists_the_items_with_counts(client):
    approver, decision = _approver_with_waiting_decision()
    client.force_login(approver)

    body = client.get("/api/v1/tasks").json()

    assert body["total"] == 1
    assert body["counts"] == {"assessment.approve": 1}
    [item] = body["items"]
    assert item["url"] == reverse("assessment:decision", args=[decision.pk])
    assert item["kind_label"] == "Decisions awaiting your approval"


def test_api_refuses_without_credentials(client):
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401


def test_api_is_in_the_openapi_document_with_its_errors(client):
    operation = client.get("/api/openapi.json").json()["paths"]["/api/v1/tasks"]["get"]
    assert {"200", "401", "403"} <= set(operation["responses"])


def test_staff_home_shows_the_oldest_items_and_links_to_all(client):
    approver, decision = _approver_with_waiting_decision()
    client.force_login(approver)

    html = client.get("/").content.decode()

    assert reverse("assessment:decision", args=[decision.pk]) in html
    assert f'href="{reverse("core:tasks")}"' in html


def test_provider_home_shows_the_organisations_drafts(client):
    draft = ApplicationFactory()
    member = MembershipFactory(organisation=draft.organisation).user
    client.force_login(member)

    html = client.get("/").content.decode()

    assert reverse("applications:tasks", args=[draft.pk]) in html
    assert draft.opportunity.title in html


def test_navigation_counts_the_items_for_eyes_and_screen_readers(client):
    approver, _decision = _approver_with_waiting_decision()
    client.force_login(approver)

    html = client.get(reverse("core:tasks")).content.decode()

    assert 'To do</strong> (1<span class="govuk-visually-hidden"> waiting</span>)' in html


def _people():
    people = {role: staff_with_role(role) for role in STAFF_ROLES if role != Role.SYSTEM_ADMIN}
    people[Role.SYSTEM_ADMIN] = staff_with_role(Role.SYSTEM_ADMIN)
    people["provider"] = MembershipFactory(is_admin=True).user
    return people


def test_every_role_has_at_most_eight_links_in_the_bar_and_the_rest_on_its_home_page(client):
    for name, person in _people().items():
        bar = navigation.items_for(person, "/")
        assert len(bar) <= 8, (name, [i["label"] for i in bar])
        client.force_login(person)
        home = client.get("/").content.decode()
        for section in navigation.more_for(person):
            for link in section["links"]:
                assert f'href="{link["href"]}"' in home, (name, link)


def test_providers_no_longer_see_register_in_the_bar_but_anonymous_people_do():
    from django.contrib.auth.models import AnonymousUser

    provider = MembershipFactory().user
    assert "Register your organisation" not in [
        i["label"] for i in navigation.items_for(provider, "/")
    ]
    assert "Register your organisation" in [
        i["label"] for i in navigation.items_for(AnonymousUser(), "/")
    ]

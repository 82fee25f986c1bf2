"""Commissioning pages: permissions per role and council, content, query counts, feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.commissioning import selectors
from thrive.commissioning.models import CommissioningSettings, IntentionStatus
from thrive.commissioning.tests.factories import (
    AwardFactory,
    ConsultationFactory,
    DecommissioningNoticeFactory,
    EvidenceItemFactory,
    IntentionFactory,
    NeedFactory,
    SoftMarketTestFactory,
    commissioner_of,
)
from thrive.strategy.models import Outcome
from thrive.strategy.tests.factories import DirectorateFactory

pytestmark = pytest.mark.django_db


def published(**kwargs):
    return IntentionFactory(status=IntentionStatus.PUBLISHED, published_at=timezone.now(), **kwargs)


def test_needs_list_is_ranked_explained_and_pinned(
    client, commissioner, directorate, django_assert_max_num_queries
) -> None:
    for n in range(12):
        need = NeedFactory(
            council=directorate.council,
            directorate=directorate,
            title=f"Need {n}",
            equality_gap=n % 4,
        )
        EvidenceItemFactory(need=need)
    NeedFactory(council=directorate.council, title="Another directorate's need")
    client.force_login(commissioner)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("commissioning:needs"))
    page = response.content.decode()
    assert "Another directorate" not in page
    assert page.index("Need 3") < page.index("Need 0")
    assert "Score 9 of 33" in page


def test_strategy_group_reads_every_directorate_but_not_another_council(
    client, directorate
) -> None:
    NeedFactory(council=directorate.council, title="Ours")
    NeedFactory(council=CouncilFactory(name="Eastvale"), title="Theirs")
    client.force_login(staff_with_role(Role.STRATEGY_GROUP, council=directorate.council))
    page = client.get(reverse("commissioning:needs")).content.decode()
    assert "Ours" in page and "Theirs" not in page


def test_commissioner_cannot_open_another_directorates_need(
    client, commissioner, directorate
) -> None:
    other = NeedFactory(council=directorate.council)
    client.force_login(commissioner)
    assert client.get(reverse("commissioning:need_detail", args=[other.pk])).status_code == 403


def test_recording_a_need_shows_gov_uk_errors_then_saves(
    client, commissioner, directorate, area
) -> None:
    client.force_login(commissioner)
    page = client.post(reverse("commissioning:need_add"), {}).content.decode()
    for message in (
        "Enter the name of the need",
        "Describe the need",
        "Select the area",
        "Select at least one group",
        "Select at least one outcome",
    ):
        assert message in page
    outcome = Outcome.objects.get(council=directorate.council, code="PO3")
    from thrive.core.models import BeneficiaryGroup

    response = client.post(
        reverse("commissioning:need_add"),
        {
            "title": "Loneliness",
            "description": "d",
            "area": area.pk,
            "groups": [BeneficiaryGroup.objects.first().pk],
            "outcomes": [outcome.pk],
        },
    )
    assert response.status_code == 302


def test_intentions_list_is_pinned(
    client, commissioner, directorate, django_assert_max_num_queries
) -> None:
    for _ in range(10):
        IntentionFactory(council=directorate.council, directorate=directorate)
    client.force_login(commissioner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("commissioning:intentions"))
    assert response.content.decode().count("Befriending service") == 10


def test_intention_page_shows_the_task_list_and_overlaps(client, commissioner, directorate) -> None:
    outcome = Outcome.objects.get(council=directorate.council, code="PO3")
    mine = IntentionFactory(council=directorate.council, directorate=directorate)
    mine.outcomes.add(outcome)
    theirs = IntentionFactory(council=directorate.council, title="Children's befriending")
    theirs.outcomes.add(outcome)
    client.force_login(commissioner)
    page = client.get(reverse("commissioning:intention_detail", args=[mine.pk])).content.decode()
    assert "govuk-task-list" in page
    assert "Equality impact assessment" in page and "Method advisor" in page
    assert "Children&#x27;s befriending" in page and "§4.3" in page


def test_eqia_page_shows_the_error_summary(client, commissioner, directorate) -> None:
    intention = IntentionFactory(council=directorate.council, directorate=directorate)
    client.force_login(commissioner)
    page = client.post(
        reverse("commissioning:intention_eqia", args=[intention.pk]), {"complete": "1"}
    ).content.decode()
    assert "There is a problem" in page and "Select the impact on age" in page
    assert "<title>Error: " in page


def test_eqia_keeps_the_line_breaks_as_shown_not_as_the_browser_sends_them(
    client, commissioner, directorate
) -> None:
    from thrive.commissioning.models import CharacteristicImpact, EqualityAssessment
    from thrive.core.models import BeneficiaryGroup

    intention = IntentionFactory(council=directorate.council, directorate=directorate)
    age = BeneficiaryGroup.objects.get(code="age")
    client.force_login(commissioner)
    response = client.post(
        reverse("commissioning:intention_eqia", args=[intention.pk]),
        {
            f"impact_{age.pk}": "negative",
            f"evidence_{age.pk}": "Survey 2026\r\nTable 3",
            f"mitigation_{age.pk}": "Home visits\r\nPhone calls",
            "summary": "Mostly neutral.\r\n\r\nSee age.",
            "draft": "1",
        },
    )
    assert response.status_code == 302
    impact = CharacteristicImpact.objects.get(characteristic=age)
    assert (impact.evidence, impact.mitigation) == (
        "Survey 2026\nTable 3",
        "Home visits\nPhone calls",
    )
    assert EqualityAssessment.objects.get(intention=intention).summary == (
        "Mostly neutral.\n\nSee age."
    )


def test_procurement_officer_sees_the_agree_page_commissioner_does_not(
    client, commissioner, directorate, procurement
) -> None:
    intention = IntentionFactory(council=directorate.council, directorate=directorate)
    url = reverse("commissioning:intention_method_agree", args=[intention.pk])
    client.force_login(commissioner)
    assert client.get(url).status_code == 403
    client.force_login(procurement)
    assert client.get(url).status_code == 200


def test_public_page_splits_new_from_no_longer_prioritised_and_hides_drafts(
    client, directorate, django_assert_max_num_queries
) -> None:
    published(council=directorate.council, title="New youth work")
    stopping = published(
        council=directorate.council, title="Day centre", direction="decommissioning"
    )
    stopping.stopped_outcomes.add(Outcome.objects.get(council=directorate.council, code="PO2"))
    IntentionFactory(council=directorate.council, title="Secret draft")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("commissioning:public_intentions")).content.decode()
    assert "Secret draft" not in page
    assert (
        page.index("New youth work")
        < page.index("Services that will no longer be prioritised")
        < page.index("Day centre")
    )
    assert (
        client.get(reverse("commissioning:public_intention", args=["CI-NOPE"])).status_code == 404
    )


def test_a_draft_is_not_public(client, directorate) -> None:
    draft = IntentionFactory(council=directorate.council)
    assert (
        client.get(reverse("commissioning:public_intention", args=[draft.reference])).status_code
        == 404
    )


def test_public_intention_shows_you_said_we_did(client, directorate) -> None:
    intention = published(council=directorate.council)
    ConsultationFactory(
        council=directorate.council,
        intention=intention,
        summary="Most agreed",
        you_said_we_did="We added evening sessions",
        summary_published_at=timezone.now(),
    )
    page = client.get(
        reverse("commissioning:public_intention", args=[intention.reference])
    ).content.decode()
    assert "We added evening sessions" in page


def test_atom_feed_lists_published_intentions(client, directorate) -> None:
    published(council=directorate.council, title="New youth work")
    IntentionFactory(council=directorate.council, title="Secret draft")
    response = client.get(reverse("commissioning:intentions_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<feed" in body and "New youth work" in body and "Secret draft" not in body


def test_provider_responds_to_an_open_consultation(client, directorate) -> None:
    consultation = ConsultationFactory(council=directorate.council)
    membership = MembershipFactory(is_admin=True)
    client.force_login(membership.user)
    url = reverse("commissioning:consultation_respond", args=[consultation.pk])
    assert (
        "Enter your response"
        in client.post(url, {"organisation": membership.organisation.pk}).content.decode()
    )
    response = client.post(
        url, {"organisation": membership.organisation.pk, "body": "Please fund evenings"}
    )
    assert response.status_code == 302
    assert consultation.responses.get().body == "Please fund evenings"


def test_notice_is_marked_read_when_a_member_opens_it(client, directorate) -> None:
    award = AwardFactory(council=directorate.council, directorate=directorate)
    notice = DecommissioningNoticeFactory(
        award=award, intention=IntentionFactory(council=directorate.council)
    )
    member = MembershipFactory(organisation=award.organisation)
    outsider = MembershipFactory()
    client.force_login(outsider.user)
    assert client.get(reverse("commissioning:notice", args=[notice.pk])).status_code == 403
    client.force_login(member.user)
    assert client.get(reverse("commissioning:notices")).content.decode().count("New") >= 1
    assert client.get(reverse("commissioning:notice", args=[notice.pk])).status_code == 200
    notice.refresh_from_db()
    assert notice.read_by == member.user


def test_notices_page_warns_when_a_notice_would_be_late(client, commissioner, directorate) -> None:
    intention = IntentionFactory(
        council=directorate.council,
        directorate=directorate,
        direction="decommissioning",
        status=IntentionStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    stopped = Outcome.objects.get(council=directorate.council, code="PO3")
    intention.stopped_outcomes.add(stopped)
    AwardFactory(
        council=directorate.council,
        directorate=directorate,
        end_date=timezone.localdate() + timedelta(days=30),
    ).outcomes.add(stopped)
    client.force_login(commissioner)
    page = client.get(
        reverse("commissioning:intention_notices", args=[intention.pk])
    ).content.decode()
    assert "Late" in page


def test_weights_page_for_council_admin_only(client, directorate) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN, council=directorate.council)
    client.force_login(admin)
    response = client.post(
        reverse("commissioning:settings"),
        {
            "weight_equality_gap": "5",
            "weight_geographic_gap": "1",
            "weight_activity_elsewhere": "1",
            "weight_budget": "1",
            "weight_user_involvement": "1",
            "weight_preventative": "1",
            "consultation_weeks": "12",
            "notice_months": "3",
            "withdrawal_share_percent": "25",
            "minimum_term_months": "36",
        },
    )
    assert response.status_code == 302
    assert directorate.council.commissioning_settings.weight_equality_gap == 5


def test_market_analysis_page(client, commissioner, directorate) -> None:
    intention = IntentionFactory(council=directorate.council, directorate=directorate)
    client.force_login(commissioner)
    page = client.get(
        reverse("commissioning:intention_market", args=[intention.pk])
    ).content.decode()
    assert "Market analysis" in page


def test_commissioner_of_another_directorate_cannot_manage(client, directorate) -> None:
    other = commissioner_of(DirectorateFactory(council=directorate.council, code="children"))
    intention = IntentionFactory(council=directorate.council, directorate=directorate)
    client.force_login(other)
    assert (
        client.get(reverse("commissioning:intention_basics", args=[intention.pk])).status_code
        == 403
    )


def test_reading_needs_saves_no_settings_until_someone_changes_them(
    client, commissioner, directorate
) -> None:
    client.force_login(commissioner)
    assert client.get(reverse("commissioning:needs")).status_code == 200
    assert not CommissioningSettings.objects.filter(council=directorate.council).exists()
    assert selectors.settings_for(council=directorate.council).weight_equality_gap == 3


def test_intention_page_is_pinned(
    client, commissioner, directorate, django_assert_max_num_queries
) -> None:
    outcome = Outcome.objects.get(council=directorate.council, code="PO3")
    mine = IntentionFactory(council=directorate.council, directorate=directorate)
    mine.outcomes.add(outcome)
    for n in range(3):
        theirs = IntentionFactory(council=directorate.council, title=f"Other befriending {n}")
        theirs.outcomes.add(outcome)
        ConsultationFactory(council=directorate.council, directorate=directorate, intention=mine)
        SoftMarketTestFactory(intention=mine)
        DecommissioningNoticeFactory(
            intention=mine,
            award__council=directorate.council,
            award__organisation__name=f"Told club {n}",
        )
    client.force_login(commissioner)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("commissioning:intention_detail", args=[mine.pk]))
    html = page.content.decode()
    assert all(f"Other befriending {n}" in html for n in range(3))
    assert all(f"Told club {n}" in html for n in range(3))

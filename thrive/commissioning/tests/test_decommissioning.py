"""Decommissioning aims at what stops: the awards funded for it, once the intention is public.

Also: an intention waits for its own consultation to close before it is published (§1.5).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from thrive.commissioning.models import IntentionStatus
from thrive.commissioning.services import equality, notices, readiness
from thrive.commissioning.services import intentions as services
from thrive.commissioning.tests.factories import AwardFactory, ConsultationFactory, IntentionFactory
from thrive.commissioning.tests.test_intentions import all_neutral, make_ready, start
from thrive.strategy.models import Outcome

pytestmark = pytest.mark.django_db


def _outcome(council, code: str) -> Outcome:
    return Outcome.objects.get(council=council, code=code)


def _funded(directorate, *codes: str, **kwargs):
    award = AwardFactory(council=directorate.council, directorate=directorate, **kwargs)
    award.outcomes.set([_outcome(directorate.council, code) for code in codes])
    return award


def _stopping(directorate, status=IntentionStatus.PUBLISHED, code: str = "DLC"):
    intention = IntentionFactory(
        council=directorate.council,
        directorate=directorate,
        direction="decommissioning",
        status=status,
        published_at=timezone.now() if status == IntentionStatus.PUBLISHED else None,
    )
    intention.outcomes.add(_outcome(directorate.council, "PO3"))
    intention.stopped_outcomes.add(_outcome(directorate.council, code))
    return intention


# --- which awards are told --------------------------------------------------------------------


def test_only_awards_funded_for_a_stopped_outcome_are_affected(directorate) -> None:
    intention = _stopping(directorate)
    stopped = _funded(directorate, "DLC", title="Community hub")
    beneath = _funded(directorate, "DLC6", "PO1", title="Lunch club")  # DLC6 sits under DLC
    _funded(directorate, "PO1", title="Park rangers")  # another outcome: carries on
    AwardFactory(council=directorate.council, directorate=directorate, title="No outcomes")
    assert notices.affected_awards(intention=intention) == sorted(
        [stopped, beneath], key=lambda a: (a.end_date, a.title)
    )


def test_an_award_for_another_outcome_cannot_be_sent_a_notice(directorate, commissioner) -> None:
    intention = _stopping(directorate)
    other = _funded(directorate, "PO1")
    with pytest.raises(ValidationError, match="funded for the outcomes no longer prioritised"):
        notices.send_notices(intention=intention, awards=[other], message="m", actor=commissioner)


def test_notices_page_lists_the_affected_awards_with_their_outcomes(
    client, directorate, commissioner
) -> None:
    intention = _stopping(directorate)
    _funded(directorate, "DLC6", title="Lunch club")
    _funded(directorate, "PO1", title="Park rangers")
    client.force_login(commissioner)
    page = client.get(
        reverse("commissioning:intention_notices", args=[intention.pk])
    ).content.decode()
    assert "Lunch club" in page and "Park rangers" not in page
    assert _outcome(directorate.council, "DLC6").label in page
    assert 'name="awards"' in page and "Send notices</button>" in page


# --- only once published ----------------------------------------------------------------------


def test_notices_are_refused_before_the_intention_is_published(directorate, commissioner) -> None:
    intention = _stopping(directorate, status=IntentionStatus.APPROVED)
    award = _funded(directorate, "DLC")
    with pytest.raises(ValidationError, match="Publish the intention before sending notices"):
        notices.send_notices(intention=intention, awards=[award], message="m", actor=commissioner)
    assert not intention.notices.exists()


def test_notices_page_hides_the_send_button_until_published(
    client, directorate, commissioner
) -> None:
    intention = _stopping(directorate, status=IntentionStatus.APPROVED)
    award = _funded(directorate, "DLC", title="Community hub")
    client.force_login(commissioner)
    url = reverse("commissioning:intention_notices", args=[intention.pk])
    page = client.get(url).content.decode()
    assert "Community hub" in page
    assert "Publish the intention before sending notices" in page
    assert "Send notices</button>" not in page
    response = client.post(url, {"awards": [award.pk], "message": "We will stop."})
    assert response.status_code == 200
    assert "Publish the intention before sending notices" in response.content.decode()
    assert not intention.notices.exists()


# --- what a decommissioning intention asks --------------------------------------------------


def test_a_decommissioning_intention_asks_no_aims_or_target_group(
    client, directorate, commissioner
) -> None:
    intention = start(
        commissioner,
        directorate,
        direction="decommissioning",
        stopped_outcomes=[_outcome(directorate.council, "DLC6")],
    )
    assert "aims" not in readiness.required_specification(intention=intention)
    assert "target_group" not in readiness.required_specification(intention=intention)
    equality.save_equality_assessment(
        intention=intention, impacts=all_neutral(), summary="", complete=True, actor=commissioner
    )
    intention.refresh_from_db()
    problems = readiness.approval_problems(intention=intention)
    assert "Enter the aims of the service" not in problems
    assert "Enter the target group" not in problems
    client.force_login(commissioner)
    page = client.get(
        reverse("commissioning:intention_specification", args=[intention.pk])
    ).content.decode()
    assert 'name="aims"' not in page and 'name="target_group"' not in page
    assert 'name="outcomes_sought"' in page
    response = client.post(
        reverse("commissioning:intention_specification", args=[intention.pk]),
        {"outcomes_sought": "People keep their dignity as day centres close."},
    )
    assert response.status_code == 302
    intention.refresh_from_db()
    assert intention.outcomes_sought.startswith("People keep")


def test_a_new_service_still_asks_for_aims_and_target_group(directorate, commissioner) -> None:
    intention = start(commissioner, directorate)
    assert readiness.specification_fields(intention=intention)[:3] == [
        "aims",
        "outcomes_sought",
        "target_group",
    ]


# --- publishing waits for the intention's own consultation ---------------------------------------


def test_publishing_waits_for_the_intentions_consultation_to_close(
    client, directorate, commissioner
) -> None:
    intention = make_ready(start(commissioner, directorate), commissioner)
    services.approve_intention(intention=intention, actor=commissioner)
    closes = timezone.localdate() + timedelta(days=20)
    consultation = ConsultationFactory(
        council=directorate.council,
        directorate=directorate,
        intention=intention,
        title="Befriending draft",
        opens_on=timezone.localdate() - timedelta(days=60),
        closes_on=closes,
    )
    with pytest.raises(ValidationError) as exc:
        services.publish_intention(intention=intention, actor=commissioner)
    assert f"closes on {closes:%-d %B %Y}" in exc.value.messages[0]
    intention.refresh_from_db()
    assert intention.status == IntentionStatus.APPROVED

    client.force_login(commissioner)
    page = client.get(
        reverse("commissioning:intention_detail", args=[intention.pk])
    ).content.decode()
    assert f"closes on {closes:%-d %B %Y}" in page
    assert reverse("commissioning:intention_publish", args=[intention.pk]) not in page

    consultation.closes_on = timezone.localdate() - timedelta(days=1)
    consultation.save()
    services.publish_intention(intention=intention, actor=commissioner)
    assert intention.status == IntentionStatus.PUBLISHED


# --- evidence files -----------------------------------------------------------------------------


def test_evidence_shows_the_files_own_name_as_a_download_link(client, commissioner, directorate):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from thrive.commissioning.services import needs as need_services
    from thrive.commissioning.tests.factories import NeedFactory

    need = NeedFactory(council=directorate.council, directorate=directorate)
    item = need_services.add_evidence(
        need=need,
        source="statistics",
        title="Survey of carers",
        actor=commissioner,
        file=SimpleUploadedFile("Carers survey.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    client.force_login(commissioner)
    page = client.get(reverse("commissioning:need_detail", args=[need.pk])).content.decode()
    link = reverse("commissioning:need_evidence_file", args=[need.pk, item.pk])
    assert f'href="{link}"' in page
    assert item.file_name in page and item.file_name.startswith("Carers")
    assert item.file.name not in page  # never the storage path
    response = client.get(link)
    assert response.status_code == 200
    assert item.file_name in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")

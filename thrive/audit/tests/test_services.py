"""The audit log is append-only and its hash chain detects tampering."""

from __future__ import annotations

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection

from thrive.accounts.tests.factories import UserFactory, staff_with_role
from thrive.audit import hashing, services
from thrive.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from thrive.audit.services import GENESIS_HASH, compute_hash, log_action, verify_chain
from thrive.core.request_context import current_request_id
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    user = UserFactory()
    org = OrganisationFactory()
    return [
        log_action(
            action="test.changed",
            actor=user,
            obj=org,
            before={"n": i},
            after={"n": i + 1, "when": "2026-01-01"},
            reason=f"step {i}",
        )
        for i in range(n)
    ]


def test_event_records_actor_object_before_after_reason_and_request_id() -> None:
    user = UserFactory(username="alice")
    org = OrganisationFactory(name="Riverside Trust")
    token = current_request_id.set("req-12345678")
    try:
        event = log_action(
            action="organisations.renamed",
            actor=user,
            obj=org,
            before={"name": "Old"},
            after={"name": "Riverside Trust"},
            reason="Trustees renamed it",
        )
    finally:
        current_request_id.reset(token)
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_label == f"user:{user.pk}"
    assert event.object_type == "organisations.organisation"
    assert event.object_id == str(org.pk)
    assert event.object_repr == "Riverside Trust"
    assert event.before == {"name": "Old"}
    assert event.after == {"name": "Riverside Trust"}
    assert event.reason == "Trustees renamed it"
    assert event.request_id == "req-12345678"
    assert event.position == 1
    assert event.prev_hash == GENESIS_HASH
    assert event.hash == compute_hash(event=event)


def test_each_event_is_chained_to_the_one_before() -> None:
    first, second, third = _events(3)
    assert first.sequence < second.sequence < third.sequence
    assert [e.position for e in (first, second, third)] == [1, 2, 3]
    assert first.chain == second.chain == third.chain
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash


def test_events_cannot_be_changed_or_deleted_through_the_orm() -> None:
    (event,) = _events(1)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_verify_passes_an_intact_chain() -> None:
    _events(5)
    checked, problem = verify_chain()
    assert (checked, problem) == (5, None)
    call_command("audit", "verify")


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_names_the_first_altered_event() -> None:
    events = _events(5)
    _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["quietly changed", events[2].pk])
    checked, problem = verify_chain()
    assert checked == 2
    assert problem.sequence == events[2].sequence
    assert problem.position == 3
    assert "does not match its hash" in problem.message
    with pytest.raises(CommandError, match=rf"broken at event #{events[2].sequence} "):
        call_command("audit", "verify")


def test_verify_detects_a_removed_event() -> None:
    events = _events(4)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    _, problem = verify_chain()
    assert problem.position == 2
    assert "missing" in problem.message


def test_verify_detects_a_removed_last_event() -> None:
    events = _events(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    _, problem = verify_chain()
    assert problem is not None
    assert "ends at 2 but 3 were written" in problem.message


def test_verify_detects_a_rehashed_forgery() -> None:
    """Changing content and recomputing its own hash still breaks the next link."""
    events = _events(3)
    forged = AuditEvent.objects.get(pk=events[0].pk)
    forged.reason = "forged"
    new_hash = compute_hash(event=forged)
    _raw(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
        ["forged", new_hash, forged.pk],
    )
    _, problem = verify_chain()
    assert problem.sequence == events[1].sequence
    assert "does not follow" in problem.message


def test_audit_verify_exits_non_zero_from_the_command_line(capsys) -> None:
    events = _events(2)
    _raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x", events[0].pk])
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["thrive", "audit", "verify"]).execute()
    assert exit_info.value.code != 0
    first = events[0]
    expected = f"Audit chain broken at event #{first.sequence} (id {first.pk}, chain {first.chain}"
    assert expected in capsys.readouterr().err


def test_audit_verify_exits_zero_from_the_command_line(capsys) -> None:
    events = _events(2)
    ManagementUtility(["thrive", "audit", "verify"]).execute()
    out = capsys.readouterr().out
    assert "Audit chain intact: 2 events verified in 1 chain: each event's hash" in out
    assert f"chain {events[0].chain}: 2 events, last hash {events[1].hash}" in out


def test_admin_offers_no_way_to_change_or_delete_events(client) -> None:
    client.force_login(staff_with_role("system_admin"))
    admin_client = client
    (event,) = _events(1)
    response = admin_client.get(f"/admin/audit/auditevent/{event.pk}/delete/")
    assert response.status_code == 403
    response = admin_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"reason": "x"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.reason == "step 0"


def _second_chain(n: int) -> list[AuditEvent]:
    """Events in a chain of their own, as a writer finds when the first chain is held."""
    services._last_chain.id = AuditChainHead.objects.create().pk
    return _events(n)


def test_verify_proves_every_chain_and_says_what_it_checked(capsys) -> None:
    first = _events(2)
    second = _second_chain(3)
    assert first[0].chain != second[0].chain
    assert [e.position for e in second] == [1, 2, 3]
    assert second[0].prev_hash == GENESIS_HASH
    assert verify_chain() == (5, None)
    ManagementUtility(["thrive", "audit", "verify"]).execute()
    out = capsys.readouterr().out
    assert "5 events verified in 2 chains" in out
    assert f"chain {first[0].chain}: 2 events, last hash {first[1].hash}" in out
    assert f"chain {second[0].chain}: 3 events, last hash {second[2].hash}" in out


def test_verify_detects_events_swapped_within_a_chain() -> None:
    events = _events(3)
    _raw("UPDATE audit_auditevent SET position = -1 WHERE id = %s", [events[0].pk])
    _raw("UPDATE audit_auditevent SET position = 1 WHERE id = %s", [events[1].pk])
    _raw("UPDATE audit_auditevent SET position = 2 WHERE id = %s", [events[0].pk])
    _, problem = verify_chain()
    assert problem.event_id == events[1].pk
    assert "does not follow" in problem.message


def test_verify_detects_an_event_moved_to_another_chain() -> None:
    first = _events(2)
    second = _second_chain(2)
    _raw(
        "UPDATE audit_auditevent SET chain = %s, position = 3 WHERE id = %s",
        [first[0].chain, second[1].pk],
    )
    _, problem = verify_chain()
    assert problem.event_id == second[1].pk
    assert problem.chain == first[0].chain
    assert "does not follow" in problem.message


def test_verify_detects_an_event_added_in_a_chain_of_its_own() -> None:
    (event,) = _events(1)
    forged = AuditEvent(
        sequence=event.sequence + 1,
        chain=event.chain + 50,
        position=1,
        action="forged",
        prev_hash=GENESIS_HASH,
    )
    forged.hash = compute_hash(event=forged)
    forged.save(force_insert=True)
    _, problem = verify_chain()
    assert problem.chain == event.chain + 50
    assert "no recorded head" in problem.message


def test_verify_detects_a_chain_whose_events_are_all_gone() -> None:
    _events(2)
    second = _second_chain(2)
    _raw("DELETE FROM audit_auditevent WHERE chain = %s", [second[0].chain])
    checked, problem = verify_chain()
    assert checked == 2
    assert problem.chain == second[0].chain
    assert "ends at 0 but 2 were written" in problem.message


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_one_event_is_appended_in_one_statement_and_verifies(django_assert_num_queries) -> None:
    """The database takes a free head, inserts the event with its hash and moves the head
    on in one statement; the hash is the one ``compute_hash`` gives for the stored row."""
    user = UserFactory()
    org = OrganisationFactory(name="Ünïcode Trust")
    log_action(action="test.first", actor=user, obj=org)
    with django_assert_num_queries(1):
        event = log_action(
            action="test.changed",
            actor=user,
            obj=org,
            before={"name": "Old", "amount": 1.5},
            after={"name": "Ünïcode Trust", "when": "2026-01-01", "none": None},
            reason="renamed",
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.sequence, stored.chain, stored.position) == (
        event.sequence,
        event.chain,
        event.position,
    )
    assert stored.hash == event.hash == compute_hash(event=stored)
    head = AuditChainHead.objects.get(pk=event.chain)
    assert (head.position, head.hash) == (event.position, event.hash)
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_events_written_before_one_statement_appends_still_verify() -> None:
    """An event hashed the earlier way (content, sequence and previous hash in one
    document) is checked against that hash; the next event follows on from it."""
    (first,) = _events(1)
    old = AuditEvent(
        sequence=first.sequence + 1,
        chain=first.chain,
        position=first.position + 1,
        occurred_at=first.occurred_at,
        action="legacy.changed",
        after={"n": 1},
        prev_hash=first.hash,
    )
    old.hash = hashing.legacy_hash(event=old)
    old.save(force_insert=True)
    AuditChainHead.objects.filter(pk=first.chain).update(position=old.position, hash=old.hash)
    log_action(action="test.after")
    assert verify_chain() == (3, None)
    old_forged = AuditEvent.objects.get(pk=old.pk)
    old_forged.reason = "forged"
    assert not hashing.hash_matches(old_forged)

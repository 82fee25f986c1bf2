"""The audit log's download: every column of the newest events, read without the council's
or the person's whole records, and a formula never live."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import staff_with_role
from thrive.audit.models import AuditEvent
from thrive.audit.services import log_action

pytestmark = pytest.mark.django_db


def _exported(client) -> list[list[str]]:
    response = client.get("/audit/export/?format=csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_each_event_is_a_row_with_who_what_when_and_its_values(
    client, django_assert_max_num_queries
) -> None:
    reader = staff_with_role(Role.STRATEGY_GROUP, first_name="Ann", last_name="Reader")
    council = reader.council
    log_action(
        action="awards.award.varied",
        actor=reader,
        obj=reader,
        before={"z": 1, "a": "£5"},
        after={"b": None},
        reason='=HYPERLINK("http://evil","x")',
        council=council,
    )
    for n in range(20):  # a query a row would show in the count
        log_action(action="core.file.downloaded", actor=reader, after={"path": f"/x/{n}/"})
    log_action(action="monitoring.reminders.sent", council=council)
    client.force_login(reader)

    with django_assert_max_num_queries(12):
        rows = _exported(client)

    assert rows[0][:4] == ["Number", "When", "Who", "Action"]
    system, varied = rows[1], rows[-1]  # newest first
    assert len(rows) == 1 + 22
    assert system[2:4] == ["System", "monitoring.reminders.sent"]
    event = AuditEvent.objects.get(action="awards.award.varied")
    assert varied[0] == str(event.sequence)
    assert varied[1] == timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
    assert varied[2] == "Ann Reader"
    assert varied[4:7] == [event.object_type, event.object_id, event.object_repr]
    assert varied[7:9] == ['{"a": "£5", "z": 1}', '{"b": null}']
    assert varied[9] == '\'=HYPERLINK("http://evil","x")'

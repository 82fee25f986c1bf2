"""A read compiled once gives, for each call's values, the rows its queryset gives."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from thrive.accounts.models import Membership
from thrive.accounts.tests.factories import MembershipFactory
from thrive.core.prepared import PreparedRead

pytestmark = pytest.mark.django_db


def _memberships(*, user_id: int, name: str) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user_id, organisation__name=name)
        .select_related("user", "organisation")
        .order_by()
    )


def test_each_call_gets_its_own_rows_from_one_compiled_statement() -> None:
    read = PreparedRead(_memberships, user_id=int, name=str)
    first, second = MembershipFactory(), MembershipFactory()
    compiler = connection.ops.compiler("SQLCompiler")
    compiled = []

    def as_sql(self: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(self)
        return compile_sql(self, *args, **kwargs)

    compile_sql = compiler.as_sql
    with (
        mock.patch.object(compiler, "as_sql", as_sql),
        CaptureQueriesContext(connection) as captured,
    ):
        for membership in (first, second, first):
            (found,) = read(user_id=membership.user_id, name=membership.organisation.name)
            assert found == membership
            assert found.user.username == membership.user.username
            assert found.organisation.name == membership.organisation.name
        assert read(user_id=first.user_id, name=second.organisation.name) == []
    assert len(compiled) == 1
    assert len(captured.captured_queries) == 4


def test_a_value_that_does_not_reach_the_sql_as_a_parameter_is_refused() -> None:
    def build(*, name: str) -> QuerySet[Membership]:
        return Membership.objects.filter(organisation__name__icontains=name)

    with pytest.raises(ValueError, match="name"):
        PreparedRead(build, name=str)(name="Trust")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL")
def test_on_postgresql_it_is_prepared_once_a_session_and_outlives_a_rollback() -> None:
    read = PreparedRead(_memberships, user_id=int, name=str)
    membership = MembershipFactory()
    values = {"user_id": membership.user_id, "name": membership.organisation.name}
    with pytest.raises(RuntimeError), transaction.atomic():
        assert read(**values) == [membership]
        raise RuntimeError("rolled back")
    with CaptureQueriesContext(connection) as captured:
        assert read(**values) == [membership]
    (sent,) = captured.captured_queries
    assert sent["sql"].startswith(f"EXECUTE {read.name}(")


def _values(instance: Any) -> list[Any]:
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


def test_columns_are_converted_as_the_querysets_own_rows_are_found_once_a_statement() -> None:
    read = PreparedRead(_memberships, user_id=int, name=str)
    first, second = MembershipFactory(), MembershipFactory()
    compiler = connection.ops.compiler("SQLCompiler")
    looked_up = []
    with mock.patch.object(
        compiler, "get_converters", autospec=True, side_effect=compiler.get_converters
    ) as get_converters:
        for membership in (first, second, first):
            values = {"user_id": membership.user_id, "name": membership.organisation.name}
            before = get_converters.call_count
            (found,) = read(**values)
            looked_up.append(get_converters.call_count - before)
            (expected,) = list(_memberships(**values))
            for got, wanted in (
                (found, expected),
                (found.user, expected.user),
                (found.organisation, expected.organisation),
            ):
                assert _values(got) == _values(wanted)
    # Which columns need converting is worked out when the statement is compiled, only.
    assert looked_up == [1, 0, 0]

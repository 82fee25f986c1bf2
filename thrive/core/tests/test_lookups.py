"""``__any_of``: a long list of ids sent as one parameter on PostgreSQL, with the same rows
as ``__in`` on every database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from thrive.awards.models import Award
from thrive.awards.tests.factories import AwardFactory
from thrive.organisations.models import Organisation
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_on_ids_and_foreign_keys() -> None:
    awards = AwardFactory.create_batch(4)
    chosen = [awards[0].organisation_id, awards[2].organisation_id]
    ids = [*chosen, chosen[0], 99_999_999]  # repeated and unknown ids change nothing
    for lookup in ("organisation_id", "organisation", "organisation__pk"):
        found = set(Award.objects.filter(**{f"{lookup}__any_of": ids}))
        assert (
            found
            == set(Award.objects.filter(organisation_id__in=ids))
            == {
                awards[0],
                awards[2],
            }
        )
    assert set(Organisation.objects.filter(pk__any_of=chosen)) == {
        awards[0].organisation,
        awards[2].organisation,
    }
    assert Award.objects.filter(Q(pk__any_of=[]) | Q(pk=awards[1].pk)).get() == awards[1]
    assert not Award.objects.filter(pk__any_of=[]).exists()
    assert Award.objects.exclude(pk__any_of=[awards[0].pk]).count() == 3


def test_any_of_takes_strings_of_digits_and_refuses_anything_else() -> None:
    organisation = OrganisationFactory()
    assert Organisation.objects.filter(pk__any_of=[str(organisation.pk)]).get() == organisation
    with pytest.raises((TypeError, ValueError)):
        Organisation.objects.filter(pk__any_of=["1; DROP TABLE x"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's arrays")
def test_postgresql_gets_one_array_of_the_columns_own_type() -> None:
    """One parameter however long the list, cast to the column's type: a ``smallint[]``
    against a ``bigint`` column is compared element by element, not looked up in a hash."""
    ids = list(range(1, 2_001))
    query = Award.objects.filter(organisation_id__any_of=ids).values("pk").query
    sql, params = query.sql_with_params()
    assert len(params) == 1 and params[0] == ids
    assert "= ANY(%s::bigint[])" in sql

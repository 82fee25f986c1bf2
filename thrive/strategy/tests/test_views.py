"""Strategy pages: who sees what, what they see, and that forms speak GOV.UK."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thrive.accounts.models import Role, RoleAssignment
from thrive.accounts.tests.factories import CouncilFactory, staff_with_role
from thrive.strategy.models import FundingPot, Outcome, PotKind
from thrive.strategy.tests.factories import DirectorateFactory, FundingPotFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_pots_list_shows_budget_committed_and_remaining_in_few_queries(
    client, django_assert_max_num_queries
) -> None:
    finance = staff_with_role(Role.FINANCE_OFFICER)
    for n in range(8):
        FundingPotFactory(
            council=finance.council, budget_pence=100_000 * (n + 1), committed_pence=50
        )
    FundingPotFactory(name="Another council's pot")
    signed_in(client, finance)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("strategy:pots"))
    assert response.status_code == 200
    assert b"Another council" not in response.content
    assert "£36,000.00" in response.content.decode()  # total budget, summed in the database
    assert "£35,996.00" in response.content.decode()


def test_commissioner_sees_own_directorate_and_corporate_pots_only(client) -> None:
    commissioner = staff_with_role(Role.COMMISSIONER)
    mine = DirectorateFactory(council=commissioner.council)
    RoleAssignment.objects.filter(user=commissioner).update(directorate=mine)
    FundingPotFactory(council=commissioner.council, directorate=mine, name="Mine")
    FundingPotFactory(council=commissioner.council, name="Theirs")
    FundingPotFactory(council=commissioner.council, name="Corporate", kind=PotKind.RING_FENCED)
    theirs = FundingPot.objects.get(name="Theirs")
    signed_in(client, commissioner)
    page = client.get(reverse("strategy:pots")).content.decode()
    assert "Mine" in page and "Corporate" in page and "Theirs" not in page
    assert client.get(reverse("strategy:pot_detail", args=[theirs.pk])).status_code == 403


def test_staff_of_another_council_cannot_open_a_pot(client) -> None:
    pot = FundingPotFactory()
    other = staff_with_role(Role.FINANCE_OFFICER, council=CouncilFactory(name="Eastvale"))
    signed_in(client, other)
    assert client.get(reverse("strategy:pot_detail", args=[pot.pk])).status_code == 403


def test_commit_form_shows_the_error_summary_when_money_runs_out(client) -> None:
    finance = staff_with_role(Role.FINANCE_OFFICER)
    pot = FundingPotFactory(council=finance.council, budget_pence=10_000)
    signed_in(client, finance)
    response = client.post(
        reverse("strategy:pot_commit", args=[pot.pk]), {"amount": "150", "description": "Award"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "There is not enough left in" in page
    assert "<title>Error: " in page
    response = client.post(
        reverse("strategy:pot_commit", args=[pot.pk]), {"amount": "", "description": ""}
    )
    assert "Enter the amount to commit" in response.content.decode()
    assert "Enter what the money is for" in response.content.decode()
    response = client.post(
        reverse("strategy:pot_commit", args=[pot.pk]), {"amount": "100", "description": "Award"}
    )
    assert response.status_code == 302
    pot.refresh_from_db()
    assert pot.remaining_pence == 0


def test_finance_officer_opens_a_pot_and_merges_two(client) -> None:
    finance = staff_with_role(Role.FINANCE_OFFICER)
    directorate = DirectorateFactory(council=finance.council)
    signed_in(client, finance)
    for name in ("Neighbourhood centre", "BME partnership"):
        response = client.post(
            reverse("strategy:pot_add"),
            {
                "name": name,
                "kind": "directorate",
                "directorate": directorate.pk,
                "financial_year": "2026",
                "budget": "10,000",
            },
        )
        assert response.status_code == 302
    pots = list(FundingPot.objects.filter(council=finance.council))
    response = client.post(
        reverse("strategy:pot_merge"),
        {
            "pots": [p.pk for p in pots],
            "name": "Developing local communities",
            "directorate": directorate.pk,
            "reason": "As the strategy says",
        },
    )
    merged = FundingPot.objects.get(kind=PotKind.MERGED)
    assert response.status_code == 302
    assert merged.budget_pence == 2_000_000
    page = client.get(reverse("strategy:pot_detail", args=[merged.pk])).content.decode()
    assert "How this pot was formed" in page and "As the strategy says" in page


def test_pot_form_names_each_missing_answer(client) -> None:
    signed_in(client, staff_with_role(Role.FINANCE_OFFICER))
    page = client.post(reverse("strategy:pot_add"), {}).content.decode()
    for message in ("Enter a name", "Select the kind of pot", "Select the owning directorate"):
        assert message in page


def test_council_admin_adds_an_outcome_to_the_framework(client) -> None:
    admin = staff_with_role(Role.COUNCIL_ADMIN)
    parent = OutcomeFactory(council=admin.council, code="PO1")
    signed_in(client, admin)
    response = client.post(
        reverse("strategy:outcome_add"),
        {
            "kind": "local_target",
            "parent": parent.pk,
            "code": "LT1",
            "title": "Fewer lonely people",
            "order": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Outcome.objects.get(code="LT1").parent == parent
    page = client.get(reverse("strategy:outcomes")).content.decode()
    assert "Fewer lonely people" in page
    duplicate = client.post(
        reverse("strategy:outcome_add"),
        {"kind": "priority", "code": "LT1", "title": "x", "order": 1},
    )
    assert "An outcome with this code already exists" in duplicate.content.decode()


def test_council_admin_cannot_change_another_councils_outcome(client) -> None:
    outcome = OutcomeFactory(council=CouncilFactory(name="Eastvale"))
    signed_in(client, staff_with_role(Role.COUNCIL_ADMIN))
    assert client.get(reverse("strategy:outcome_edit", args=[outcome.pk])).status_code == 403


def test_thresholds_page_lists_the_national_sets(client) -> None:
    from thrive.strategy.defaults import ensure_default_thresholds

    ensure_default_thresholds()  # loaded by a migration, but gone after a flushing test
    signed_in(client, staff_with_role(Role.COMMISSIONER))
    page = client.get(reverse("strategy:thresholds")).content.decode()
    assert "£207,720.00" in page and "£214,904.00" in page and "£663,540.00" in page


def test_system_admin_adds_a_national_threshold_set(client) -> None:
    signed_in(client, staff_with_role(Role.SYSTEM_ADMIN))
    response = client.post(
        reverse("strategy:threshold_add"),
        {
            "valid_from": "1/1/2028",
            "goods_services_pence": "210,000",
            "works_pence": "5,300,000",
            "light_touch_pence": "670,000",
            "below_threshold_notice_pence": "30,000",
            "small_grant_limit_pence": "5,000",
        },
    )
    assert response.status_code == 302
    bad = client.post(reverse("strategy:threshold_add"), {"valid_from": "31/2/2028"})
    assert "In force from must be a real date" in bad.content.decode()

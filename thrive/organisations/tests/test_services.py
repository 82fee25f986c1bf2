"""Every rule of the register's services, its error messages and its audit events."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from thrive.accounts.models import Membership
from thrive.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from thrive.audit.models import AuditEvent
from thrive.organisations import services
from thrive.organisations.models import (
    DuplicateCandidate,
    JoinRequestStatus,
    LegalForm,
    RecordSource,
    SizeBand,
    TestOutcome,
    normalise_postcode,
    size_band_for,
)
from thrive.organisations.tests.factories import IdentifierFactory, OrganisationFactory


def _actions(obj=None) -> list[str]:
    events = AuditEvent.objects.for_object(obj) if obj is not None else AuditEvent.objects
    return list(events.order_by("sequence").values_list("action", flat=True))


def test_self_registration_makes_the_person_admin_and_is_audited(db) -> None:
    user = UserFactory()
    org = services.register_organisation(
        actor=user,
        source=RecordSource.SELF_REGISTERED,
        fields={
            "name": "Brackenford Food Bank",
            "legal_form": LegalForm.CIO,
            "postcode": "ws1 2ab",
        },
        org_ids=["GB-CHC-1 990 095"],
        make_actor_admin=True,
    )
    assert org.postcode == "WS1 2AB"
    assert org.source == RecordSource.SELF_REGISTERED
    assert [i.org_id for i in org.identifiers.all()] == ["GB-CHC-1990095"]
    assert Membership.objects.get(user=user, organisation=org).is_admin
    assert "organisations.organisation.created" in _actions(org)


def test_an_identifier_already_registered_is_refused_naming_its_holder(db) -> None:
    IdentifierFactory(organisation__name="Castlemere Carers", value="1990095")
    with pytest.raises(ValidationError) as caught:
        services.register_organisation(
            actor=None,
            source=RecordSource.STAFF,
            fields={"name": "Castlemere Carers Network", "legal_form": LegalForm.CHARITY},
            org_ids=["GB-CHC-1990095"],
        )
    assert caught.value.message_dict["identifiers"] == [
        "GB-CHC-1990095 is already registered to Castlemere Carers. "
        "Ask to join that organisation instead of registering it again."
    ]


def test_registration_needs_a_name(db) -> None:
    with pytest.raises(ValidationError) as caught:
        services.register_organisation(actor=None, source=RecordSource.STAFF, fields={"name": " "})
    assert caught.value.message_dict["name"] == ["Enter the organisation's name"]


def test_registration_refuses_a_bad_postcode(db) -> None:
    with pytest.raises(ValidationError) as caught:
        services.register_organisation(
            actor=None, source=RecordSource.STAFF, fields={"name": "A", "postcode": "nowhere"}
        )
    assert caught.value.message_dict["postcode"] == ["Enter a real postcode, like SW1A 1AA"]


def test_registration_raises_a_similar_name_at_the_same_postcode_for_review(db) -> None:
    existing = OrganisationFactory(name="Greystone Men's Shed", postcode="WS3 4CD")
    new = services.register_organisation(
        actor=None,
        source=RecordSource.STAFF,
        fields={"name": "The Greystone Mens Shed CIC", "postcode": "WS3 4CD"},
    )
    pair = DuplicateCandidate.objects.get()
    assert {pair.first, pair.second} == {existing, new}
    assert pair.score >= 85
    assert "same postcode WS3 4CD" in pair.reasons


def test_a_change_of_legal_form_is_audited_as_its_own_decision(db) -> None:
    org = OrganisationFactory(legal_form=LegalForm.UNINCORPORATED)
    staff = StaffFactory()
    services.update_organisation(
        organisation=org,
        actor=staff,
        changes={"legal_form": LegalForm.CIO, "town": "Dunholm"},
        reason="Registered as a CIO",
    )
    event = AuditEvent.objects.get(action="organisations.legal_form.changed")
    assert event.before == {"legal_form": "unincorporated"}
    assert event.after == {"legal_form": "cio"}
    assert event.reason == "Registered as a CIO"
    other = AuditEvent.objects.get(action="organisations.organisation.updated")
    assert other.after == {"town": "Dunholm"}


def test_a_merged_record_cannot_be_edited(db) -> None:
    org = OrganisationFactory(merged_into=OrganisationFactory())
    with pytest.raises(ValidationError, match="merged into another"):
        services.update_organisation(organisation=org, actor=None, changes={"town": "X"})


def test_adding_an_identifier_stores_it_canonically_and_audits_it(db) -> None:
    org = OrganisationFactory()
    identifier = services.add_identifier(
        organisation=org, scheme="GB-COH", value="9506232", actor=None
    )
    assert identifier.org_id == "GB-COH-09506232"
    event = AuditEvent.objects.get(action="organisations.identifier.added")
    assert event.after == {"org_id": "GB-COH-09506232"}


def test_an_identifier_belongs_to_one_organisation_only(db) -> None:
    IdentifierFactory(organisation__name="Fernleigh Arts", scheme="GB-COH", value="99506232")
    with pytest.raises(ValidationError) as caught:
        services.add_identifier(
            organisation=OrganisationFactory(), scheme="GB-COH", value="99506232", actor=None
        )
    assert caught.value.message_dict == {
        "value": ["GB-COH-99506232 is already registered to Fernleigh Arts"]
    }


def test_adding_an_identifier_twice_says_the_organisation_has_it(db) -> None:
    identifier = IdentifierFactory(value="1990095")
    with pytest.raises(ValidationError) as caught:
        services.add_identifier(
            organisation=identifier.organisation, scheme="GB-CHC", value="1990095", actor=None
        )
    assert caught.value.message_dict == {"value": ["The organisation already has this identifier"]}


def test_a_malformed_identifier_is_refused_on_the_value(db) -> None:
    with pytest.raises(ValidationError) as caught:
        services.add_identifier(
            organisation=OrganisationFactory(), scheme="GB-SC", value="12", actor=None
        )
    assert caught.value.message_dict["value"] == [
        "Enter a Scottish charity number in the correct format, like SC042386"
    ]


def test_removing_an_identifier_is_audited(db) -> None:
    identifier = IdentifierFactory(value="1990095")
    services.remove_identifier(identifier=identifier, actor=None, reason="Typed wrongly")
    event = AuditEvent.objects.get(action="organisations.identifier.removed")
    assert event.before == {"org_id": "GB-CHC-1990095"}
    assert event.reason == "Typed wrongly"


ALL_YES = {"independent": "yes", "value_driven": "yes", "reinvests_surpluses": "yes"}
EVIDENCE = {
    "independent": "Trustees elected by members",
    "value_driven": "Charitable objects",
    "reinvests_surpluses": "Asset lock",
}


def test_three_yes_answers_with_evidence_meet_the_third_sector_test(db) -> None:
    org = OrganisationFactory()
    services.record_third_sector_test(
        organisation=org, answers=ALL_YES, evidence=EVIDENCE, actor=None
    )
    org.refresh_from_db()
    assert org.third_sector_outcome == TestOutcome.MEETS
    assert org.third_sector_recorded_at is not None
    event = AuditEvent.objects.get(action="organisations.third_sector_test.recorded")
    assert event.after["outcome"] == "meets"


def test_a_no_answer_fails_the_test_and_the_organisation_stays_flagged(db) -> None:
    org = OrganisationFactory()
    services.record_third_sector_test(
        organisation=org, answers={**ALL_YES, "independent": "no"}, evidence=EVIDENCE, actor=None
    )
    org.refresh_from_db()
    assert org.third_sector_outcome == TestOutcome.DOES_NOT_MEET
    assert org.fails_third_sector_test
    assert org.merged_into is None


def test_each_test_answer_needs_an_answer_and_evidence(db) -> None:
    with pytest.raises(ValidationError) as caught:
        services.record_third_sector_test(
            organisation=OrganisationFactory(),
            answers={"independent": "yes", "value_driven": "maybe"},
            evidence={"independent": " "},
            actor=None,
        )
    assert caught.value.message_dict == {
        "independent_evidence": ["Give evidence for your answer about independence"],
        "value_driven": ["Select whether the organisation is value-driven"],
        "reinvests_surpluses": ["Select whether the organisation reinvests its surpluses"],
    }


def test_income_sets_the_size_band_from_the_latest_year(db) -> None:
    org = OrganisationFactory()
    services.record_income(organisation=org, year=2024, amount_pence=50_000_00, actor=None)
    services.record_income(organisation=org, year=2022, amount_pence=5_000_000_00, actor=None)
    org.refresh_from_db()
    assert (org.latest_income_year, org.size_band) == (2024, SizeBand.SMALL)
    services.record_income(organisation=org, year=2024, amount_pence=2_000_000_00, actor=None)
    org.refresh_from_db()
    assert org.size_band == SizeBand.LARGE
    assert org.incomes.count() == 2
    assert AuditEvent.objects.filter(action="organisations.income.recorded").count() == 3


@pytest.mark.parametrize(
    ("year", "amount", "error"),
    [
        (1800, 100, {"year"}),
        (2999, 100, {"year"}),
        (2024, -1, {"amount"}),
    ],
)
def test_income_refuses_impossible_years_and_negative_amounts(year, amount, error, db) -> None:
    with pytest.raises(ValidationError) as caught:
        services.record_income(
            organisation=OrganisationFactory(), year=year, amount_pence=amount, actor=None
        )
    assert set(caught.value.message_dict) == error


@pytest.mark.parametrize(
    ("pence", "band"),
    [
        (None, SizeBand.UNKNOWN),
        (0, SizeBand.MICRO),
        (9_999_99, SizeBand.MICRO),
        (10_000_00, SizeBand.SMALL),
        (99_999_99, SizeBand.SMALL),
        (100_000_00, SizeBand.MEDIUM),
        (999_999_99, SizeBand.MEDIUM),
        (1_000_000_00, SizeBand.LARGE),
        (9_999_999_99, SizeBand.LARGE),
        (10_000_000_00, SizeBand.MAJOR),
    ],
)
def test_size_band_boundaries(pence, band) -> None:
    assert size_band_for(pence) == band


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**12))
def test_size_band_never_falls_as_income_rises(a: int, b: int) -> None:
    order = [SizeBand.MICRO, SizeBand.SMALL, SizeBand.MEDIUM, SizeBand.LARGE, SizeBand.MAJOR]
    low, high = sorted([a, b])
    assert order.index(size_band_for(low)) <= order.index(size_band_for(high))


def test_postcodes_are_normalised() -> None:
    assert normalise_postcode(" sw1a1aa ") == "SW1A 1AA"
    assert normalise_postcode("m1 1ae") == "M1 1AE"
    with pytest.raises(ValidationError):
        normalise_postcode("SW1A")


def test_a_service_links_to_outcomes_and_is_audited(db) -> None:
    from thrive.strategy.defaults import ensure_default_framework

    org = OrganisationFactory()
    outcomes = ensure_default_framework(StaffFactory().council)[:2]
    service = services.add_service(
        organisation=org, name="Lunch club", description="", outcomes=outcomes, actor=None
    )
    assert list(service.outcomes.all()) == sorted(outcomes, key=lambda o: (o.order, o.code))
    services.remove_service(service=service, actor=None)
    assert _actions(org)[-2:] == ["organisations.service.added", "organisations.service.removed"]


def test_a_service_needs_a_name(db) -> None:
    with pytest.raises(ValidationError, match="Enter the name of the service"):
        services.add_service(
            organisation=OrganisationFactory(), name=" ", description="", outcomes=[], actor=None
        )


def test_a_new_main_contact_replaces_the_old(db) -> None:
    org = OrganisationFactory()
    first = services.add_contact(organisation=org, actor=None, name="Ann", is_main=True)
    services.add_contact(organisation=org, actor=None, name="Bo", is_main=True)
    first.refresh_from_db()
    assert not first.is_main
    assert org.contacts.filter(is_main=True).get().name == "Bo"


def test_a_person_asks_to_join_and_an_admin_approves(db) -> None:
    admin = MembershipFactory(is_admin=True)
    person = UserFactory()
    join = services.request_to_join(organisation=admin.organisation, user=person, message="Hi")
    with pytest.raises(ValidationError, match="already asked to join"):
        services.request_to_join(organisation=admin.organisation, user=person)
    services.decide_join_request(join_request=join, approve=True, actor=admin.user)
    assert Membership.objects.filter(user=person, organisation=admin.organisation).exists()
    assert join.status == JoinRequestStatus.APPROVED
    with pytest.raises(ValidationError, match="already been answered"):
        services.decide_join_request(join_request=join, approve=False, actor=admin.user)
    with pytest.raises(ValidationError, match="already a member"):
        services.request_to_join(organisation=admin.organisation, user=person)
    assert "organisations.join.approved" in _actions(admin.organisation)


def test_a_declined_request_makes_no_member(db) -> None:
    admin = MembershipFactory(is_admin=True)
    join = services.request_to_join(organisation=admin.organisation, user=UserFactory())
    services.decide_join_request(join_request=join, approve=False, actor=admin.user)
    assert join.status == JoinRequestStatus.DECLINED
    assert admin.organisation.memberships.count() == 1


def test_council_staff_cannot_ask_to_join(db) -> None:
    with pytest.raises(ValidationError, match="Council staff cannot join"):
        services.request_to_join(organisation=OrganisationFactory(), user=StaffFactory())


def test_an_account_with_the_same_email_is_refused(db) -> None:
    UserFactory(email="sam@example.org")
    with pytest.raises(ValidationError) as caught:
        services.create_provider_account(
            new=services.NewProvider("SAM@example.org", "Sam", "Jones", "a-long-password-1")
        )
    assert caught.value.message_dict["email"] == [
        "An account with this email address already exists. Sign in instead."
    ]


def test_the_admins_are_emailed_when_someone_asks_to_join(
    db, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    admin = MembershipFactory(is_admin=True, user__email="admin@example.org")
    MembershipFactory(organisation=admin.organisation, user__email="member@example.org")
    person = UserFactory(first_name="Sam", last_name="Cole")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_to_join(organisation=admin.organisation, user=person, message="Hello")
    [message] = mailoutbox
    assert message.to == ["admin@example.org"]
    assert message.subject.startswith("Sam Cole asks to join")
    assert f"/organisations/{admin.organisation.pk}/members/" in message.body


def test_a_change_of_name_or_postcode_is_checked_for_duplicates(db) -> None:
    OrganisationFactory(name="Westbury Food Bank", postcode="WS8 8AA")
    org = OrganisationFactory(name="Something Else", postcode="WS8 8AA")
    services.update_organisation(
        organisation=org, actor=None, changes={"name": "Westbury Foodbank"}
    )
    assert DuplicateCandidate.objects.open().count() == 1


def test_bad_website_and_email_get_gov_uk_wording(db) -> None:
    with pytest.raises(ValidationError) as caught:
        services.register_organisation(
            actor=None,
            source=RecordSource.STAFF,
            fields={"name": "A", "website": "not a site", "email": "nope"},
        )
    assert caught.value.message_dict["website"] == [
        "Enter a website address in the correct format, like https://www.example.org"
    ]
    assert caught.value.message_dict["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]

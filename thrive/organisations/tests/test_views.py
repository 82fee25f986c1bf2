"""Register pages: permissions, what each person sees, and bounded queries on lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thrive.accounts.models import Membership, Role, User
from thrive.accounts.tests.factories import (
    CouncilFactory,
    MembershipFactory,
    UserFactory,
    staff_with_role,
)
from thrive.audit.models import AuditEvent
from thrive.awards.tests.factories import AwardFactory
from thrive.organisations.models import (
    CandidateStatus,
    JoinRequest,
    LegalForm,
    Organisation,
    TestOutcome,
)
from thrive.organisations.tests.factories import (
    THIRD_SECTOR_ANSWERS,
    DuplicateCandidateFactory,
    IdentifierFactory,
    JoinRequestFactory,
    OrganisationFactory,
)

PASSWORD = "a-very-long-password-42"


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_register_lists_searches_and_filters(client, commissioner) -> None:
    OrganisationFactory(name="Ashbourne Food Bank", legal_form=LegalForm.CIO)
    OrganisationFactory(name="Dunholm Wildlife Group", legal_form=LegalForm.CHARITY)
    IdentifierFactory(organisation__name="Elmbridge Carers", value="1990095")
    _signed_in(client, commissioner)
    page = client.get(reverse("organisations:list"))
    assert page.status_code == 200
    assert "3 organisations" in page.text
    found = client.get(reverse("organisations:list"), {"q": "wildlife"})
    assert "Dunholm Wildlife Group" in found.text and "Ashbourne" not in found.text
    by_number = client.get(reverse("organisations:list"), {"q": "GB-CHC-1990095"})
    assert "Elmbridge Carers" in by_number.text and "Dunholm" not in by_number.text
    by_form = client.get(reverse("organisations:list"), {"legal_form": "cio"})
    assert "Ashbourne Food Bank" in by_form.text and "Dunholm" not in by_form.text


def test_funded_means_funded_by_your_own_council(client, commissioner) -> None:
    ours = OrganisationFactory(name="Funded By Us")
    theirs = OrganisationFactory(name="Funded Elsewhere")
    AwardFactory(organisation=ours, council=commissioner.council)
    AwardFactory(organisation=theirs)
    _signed_in(client, commissioner)
    page = client.get(reverse("organisations:list"), {"funded": "yes"})
    assert "Funded By Us" in page.text and "Funded Elsewhere" not in page.text


def test_the_register_list_keeps_a_bounded_number_of_queries(
    client, commissioner, django_assert_max_num_queries
) -> None:
    for n in range(30):
        IdentifierFactory(organisation__name=f"Organisation {n:02d}")
    _signed_in(client, commissioner)
    # 11, and 2 for other funders: the filter's funders, and grants and contracts of the page
    with django_assert_max_num_queries(13):
        page = client.get(reverse("organisations:list"))
    assert page.status_code == 200
    assert "Organisation 00" in page.text


def test_the_profile_keeps_a_bounded_number_of_queries(
    client, commissioner, django_assert_max_num_queries
) -> None:
    org = OrganisationFactory()
    for _ in range(5):
        IdentifierFactory(organisation=org)
        AwardFactory(organisation=org, council=commissioner.council)
    _signed_in(client, commissioner)
    # 17, 1 for funding from others (grants and contracts), 1 for the charity register check
    # and 1 for the track record's targets
    with django_assert_max_num_queries(20):
        page = client.get(reverse("organisations:detail", args=[org.pk]))
    assert page.status_code == 200


def test_exports_are_the_filtered_list_in_each_format(client, commissioner) -> None:
    OrganisationFactory(name="Ashbourne Food Bank", legal_form=LegalForm.CIO)
    OrganisationFactory(name="=HYPERLINK(evil)", legal_form=LegalForm.CHARITY)
    _signed_in(client, commissioner)
    csv = client.get(reverse("organisations:export"), {"format": "csv", "legal_form": "charity"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in text and "Ashbourne" not in text
    for fmt in ("xlsx", "ods"):
        response = client.get(reverse("organisations:export"), {"format": fmt})
        assert response.status_code == 200
        assert f".{fmt}" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="organisations.register.exported").count() == 3


def test_staff_of_another_council_see_totals_but_not_our_award_detail(client, db) -> None:
    ours = staff_with_role(Role.COMMISSIONER)
    theirs = staff_with_role(
        Role.COMMISSIONER, council=CouncilFactory(name="Eastvale Borough Council")
    )
    org = OrganisationFactory()
    AwardFactory(organisation=org, council=ours.council, title="Our befriending grant")
    page = _signed_in(client, theirs).get(reverse("organisations:detail", args=[org.pk]))
    assert "Westshire County Council" in page.text
    assert "Our befriending grant" not in page.text
    assert "Your council has not funded this organisation" in page.text
    page = _signed_in(client, ours).get(reverse("organisations:detail", args=[org.pk]))
    assert "Our befriending grant" in page.text
    assert "Your council funds this organisation" in page.text


def test_the_profile_says_plainly_what_is_not_recorded(client, commissioner) -> None:
    org = OrganisationFactory(third_sector_outcome=TestOutcome.DOES_NOT_MEET)
    page = _signed_in(client, commissioner).get(reverse("organisations:detail", args=[org.pk]))
    assert "does not meet the Third Sector test" in page.text
    assert "No monitoring returns are recorded for this organisation yet." in page.text
    assert "org-id.guide register, ODbL" in page.text


def test_a_merged_record_redirects_to_the_survivor(client, commissioner) -> None:
    survivor = OrganisationFactory()
    merged = OrganisationFactory(merged_into=survivor)
    response = _signed_in(client, commissioner).get(
        reverse("organisations:detail", args=[merged.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=[survivor.pk])


def test_a_person_registers_an_account_and_an_organisation(client, db) -> None:
    response = client.post(
        reverse("organisations:register"),
        {
            "name": "Castlemere Carers",
            "legal_form": "cio",
            "charity_number": "1990095",
            "postcode": "ws1 1aa",
            "first_name": "Priya",
            "last_name": "Shah",
            "email": "priya@example.org",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        }
        | THIRD_SECTOR_ANSWERS,
    )
    org = Organisation.objects.get(name="Castlemere Carers")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=[org.pk])
    user = User.objects.get(email="priya@example.org")
    assert Membership.objects.get(user=user, organisation=org).is_admin
    assert client.get(response["Location"]).status_code == 200


def test_registration_shows_gov_uk_errors(client, db) -> None:
    response = client.post(reverse("organisations:register"), {"charity_number": "12"})
    assert response.status_code == 200
    assert response.text.count("govuk-error-summary") >= 1
    assert "<title>Error: " in response.text
    for message in [
        "Enter the organisation&#x27;s name",
        "Select the organisation&#x27;s legal form",
        "Enter the organisation&#x27;s postcode",
        "Enter your first name",
        "Enter a password",
    ]:
        assert message in response.text


def test_registering_a_known_charity_number_points_to_joining(client, org_admin) -> None:
    IdentifierFactory(organisation=org_admin.organisation, value="1990095")
    _signed_in(client, UserFactory())
    response = client.post(
        reverse("organisations:register"),
        {"name": "Copy", "legal_form": "cio", "charity_number": "1990095", "postcode": "WS1 1AA"}
        | THIRD_SECTOR_ANSWERS,
    )
    assert "is already registered to" in response.text
    assert "Ask to join that organisation" in response.text


def test_an_admin_edits_the_profile_and_a_member_cannot(client, org_admin, areas, groups) -> None:
    org = org_admin.organisation
    url = reverse("organisations:edit", args=[org.pk])
    response = _signed_in(client, org_admin.user).post(
        url,
        {
            "name": "Renamed Trust",
            "legal_form": "charitable_company",
            "postcode": "ws2 2bb",
            "areas": [areas["County-wide"].pk],
            "beneficiary_groups": [groups["carers"].pk],
            "directory_opt_in": "on",
            "publish_website": "on",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.postcode, org.directory_opt_in) == ("Renamed Trust", "WS2 2BB", True)
    assert AuditEvent.objects.filter(action="organisations.legal_form.changed").exists()
    member = MembershipFactory(organisation=org).user
    assert _signed_in(client, member).get(url).status_code == 403


def test_the_edit_page_shows_errors_in_the_summary(client, org_admin) -> None:
    url = reverse("organisations:edit", args=[org_admin.organisation.pk])
    response = _signed_in(client, org_admin.user).post(url, {"name": "", "postcode": "zzz"})
    assert "Enter the organisation&#x27;s name" in response.text
    assert "Enter a real postcode, like SW1A 1AA" in response.text


def test_identifiers_page_adds_and_removes(client, org_admin) -> None:
    org = org_admin.organisation
    _signed_in(client, org_admin.user)
    url = reverse("organisations:identifiers", args=[org.pk])
    bad = client.post(url, {"scheme": "GB-COH", "value": "nope"})
    assert "Enter a Companies House number in the correct format" in bad.text
    assert client.post(url, {"scheme": "GB-COH", "value": "9506232"}).status_code == 302
    identifier = org.identifiers.get()
    assert identifier.org_id == "GB-COH-09506232"
    remove = reverse("organisations:remove_identifier", args=[org.pk, identifier.pk])
    assert client.post(remove).status_code == 302
    assert not org.identifiers.exists()


def test_third_sector_test_page_records_the_outcome(client, org_admin) -> None:
    org = org_admin.organisation
    url = reverse("organisations:third_sector_test", args=[org.pk])
    _signed_in(client, org_admin.user)
    missing = client.post(url, {"independent": "yes"})
    assert "Give evidence for your answer about independence" in missing.text
    response = client.post(
        url,
        {
            "independent": "yes",
            "independent_evidence": "Elected trustees",
            "value_driven": "yes",
            "value_driven_evidence": "Objects",
            "reinvests_surpluses": "no",
            "reinvests_surpluses_evidence": "Dividends paid",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.third_sector_outcome == TestOutcome.DOES_NOT_MEET


def test_income_services_and_contacts_pages(client, org_admin) -> None:
    org = org_admin.organisation
    _signed_in(client, org_admin.user)
    income = reverse("organisations:income", args=[org.pk])
    assert "Enter an amount in pounds" in client.post(income, {"year": 2024, "amount": "x"}).text
    client.post(income, {"year": 2024, "amount": "£12,500"})
    org.refresh_from_db()
    assert (org.latest_income_pence, org.size_band) == (1_250_000, "small")
    client.post(reverse("organisations:services", args=[org.pk]), {"name": "Lunch club"})
    assert org.services.get().name == "Lunch club"
    client.post(
        reverse("organisations:contacts", args=[org.pk]),
        {"name": "Ann Lee", "email": "ANN@example.org", "is_main": "on"},
    )
    assert org.contacts.get().email == "ann@example.org"


def test_a_person_asks_to_join_and_the_admin_approves(client, org_admin) -> None:
    org = org_admin.organisation
    response = client.post(
        reverse("organisations:join", args=[org.pk]),
        {
            "message": "I run the Tuesday group",
            "first_name": "Sam",
            "last_name": "Cole",
            "email": "sam@example.org",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    join = JoinRequest.objects.get(organisation=org)
    members = _signed_in(client, org_admin.user).get(
        reverse("organisations:members", args=[org.pk])
    )
    assert "People asking to join" in members.text and "I run the Tuesday group" in members.text
    client.post(
        reverse("organisations:decide_join", args=[org.pk, join.pk]), {"decision": "approve"}
    )
    assert Membership.objects.filter(organisation=org, user=join.user).exists()


def test_only_an_admin_decides_a_request(client, org_admin) -> None:
    join = JoinRequestFactory(organisation=org_admin.organisation)
    member = MembershipFactory(organisation=org_admin.organisation).user
    url = reverse("organisations:decide_join", args=[org_admin.organisation.pk, join.pk])
    assert _signed_in(client, member).post(url, {"decision": "approve"}).status_code == 403


def test_find_lists_registered_organisations_to_join(client, db) -> None:
    OrganisationFactory(name="Greystone Heritage Society")
    page = client.get(reverse("organisations:find"), {"q": "heritage"})
    assert "Ask to join Greystone Heritage Society" in page.text


def test_staff_merge_a_pair_from_the_review_page(client, steward) -> None:
    candidate = DuplicateCandidateFactory()
    _signed_in(client, steward)
    queue = client.get(reverse("organisations:duplicates"))
    assert "Oakfield Youth Club" in queue.text
    url = reverse("organisations:duplicate", args=[candidate.pk])
    missing = client.post(url, {"action": "merge"})
    assert "Select the record to keep" in missing.text
    assert "Enter why these records are the same organisation" in missing.text
    done = client.post(
        url, {"action": "merge", "survivor": candidate.first_id, "reason": "Same club"}
    )
    assert done.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED
    assert candidate.second.merged_into_id == candidate.first_id


def test_staff_record_not_a_duplicate(client, steward) -> None:
    candidate = DuplicateCandidateFactory()
    url = reverse("organisations:duplicate", args=[candidate.pk])
    _signed_in(client, steward)
    missing = client.post(url, {"action": "not_duplicate"})
    assert "Enter why these are different organisations" in missing.text
    client.post(url, {"action": "not_duplicate", "not_duplicate_reason": "Different towns"})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NOT_DUPLICATE


def test_the_duplicate_queue_keeps_a_bounded_number_of_queries(
    client, steward, django_assert_max_num_queries
) -> None:
    for n in range(10):
        DuplicateCandidateFactory(
            first__name=f"Club {n}", second__name=f"The Club {n}", first__postcode="WS1 1AA"
        )
    _signed_in(client, steward)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("organisations:duplicates")).status_code == 200


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_import_page_checks_or_imports_a_file(client, steward, dry_run) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"name,postcode\nAshbourne Arts,WS1 1AA\n"
    data = {"file": SimpleUploadedFile("orgs.csv", content, content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    response = _signed_in(client, steward).post(reverse("organisations:import"), data)
    if dry_run:
        assert "1 organisation(s) would be created" in response.text
        assert not Organisation.objects.exists()
    else:
        assert response.status_code == 302
        assert Organisation.objects.get().name == "Ashbourne Arts"


def test_the_import_page_lists_every_error(client, steward) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"name,postcode,email\n,nowhere,bad\n"
    response = _signed_in(client, steward).post(
        reverse("organisations:import"), {"file": SimpleUploadedFile("orgs.csv", content)}
    )
    assert "row 2, column name: Enter the organisation&#x27;s name" in response.text
    assert "row 2, column postcode: Enter a real postcode" in response.text
    assert "row 2, column email: Enter an email address" in response.text
    assert "<title>Error: " in response.text


def test_the_directory_shows_only_opted_in_organisations_and_what_they_publish(client, db) -> None:
    listed = OrganisationFactory(
        name="Listed Trust",
        directory_opt_in=True,
        email="hello@listed.example",
        publish_email=True,
        phone="01234 567890",
        publish_phone=False,
    )
    OrganisationFactory(name="Private Trust")
    page = client.get(reverse("directory:list"))
    assert "Listed Trust" in page.text and "Private Trust" not in page.text
    detail = client.get(reverse("directory:detail", args=[listed.pk]))
    assert "hello@listed.example" in detail.text
    assert "01234 567890" not in detail.text
    hidden = OrganisationFactory(directory_opt_in=False)
    assert client.get(reverse("directory:detail", args=[hidden.pk])).status_code == 404


def test_the_directory_keeps_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries
) -> None:
    for n in range(20):
        OrganisationFactory(name=f"Listed {n}", directory_opt_in=True)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("directory:list")).status_code == 200

"""Award pages: the register and its exports, terms of a draft, the offer and its letter
(HTML and PDF), the provider's acceptance, payments and variations."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from thrive.accounts.models import Role
from thrive.accounts.tests.factories import CouncilFactory, MembershipFactory, staff_with_role
from thrive.awards.models import AwardStatus
from thrive.awards.tests.factories import DirectorateFactory, make_award, make_pot
from thrive.organisations.models import Identifier
from thrive.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    user = staff_with_role(Role.COMMISSIONER)
    directorate = DirectorateFactory(council=user.council)
    user.role_assignments.update(directorate=directorate)
    user._directorate_ids = None
    return user


@pytest.fixture
def directorate(commissioner):
    return DirectorateFactory(council=commissioner.council)


def _award(commissioner, directorate, **kwargs):
    return make_award(
        commissioner,
        kwargs.pop("organisation", None) or OrganisationFactory(),
        directorate=directorate,
        **kwargs,
    )


def test_register_searches_filters_and_keeps_queries_bounded(
    client, commissioner, directorate, django_assert_max_num_queries
):
    org = OrganisationFactory(name="Riverside Advice")
    Identifier.objects.create(
        organisation=org, scheme="GB-CHC", value="1994567", org_id="GB-CHC-1994567"
    )
    for index in range(30):
        _award(commissioner, directorate, organisation=org, title=f"Advice {index}")
    _award(commissioner, directorate, kind="contract", title="Carers support contract")
    eastvale = staff_with_role(Role.COMMISSIONER, council=CouncilFactory(name="Eastvale"))
    make_award(
        eastvale,
        org,
        directorate=DirectorateFactory(council=eastvale.council),
        title="Eastvale only",
    )
    client.force_login(commissioner)
    with django_assert_max_num_queries(16):
        response = client.get("/awards/")
    body = response.content.decode()
    assert "31 awards" in body and "GB-CHC-1994567" in body and "Eastvale only" not in body
    assert "Carers support contract" in client.get("/awards/?kind=contract").content.decode()
    searched = client.get("/awards/?q=GB-CHC-1994567").content.decode()
    assert "30 awards" in searched
    filtered = client.get("/awards/?kind=contract&status=draft&year=2026").content.decode()
    assert "1 award" in filtered and "Carers support contract" in filtered
    wrong = client.get("/awards/?year=1990").content.decode()
    assert "There is a problem" in wrong


def test_register_exports_csv_and_spreadsheets(client, commissioner, directorate):
    award = _award(commissioner, directorate, title="Befriending")
    client.force_login(commissioner)
    csv = client.get("/awards/export/?format=csv").content.decode("utf-8-sig")
    header, row = csv.splitlines()[:2]
    assert header.startswith("Reference,Title,Kind,Status,Provider,Org-id")
    assert row.startswith(f"{award.reference},Befriending,Funding agreement,Draft")
    for fmt in ("xlsx", "ods"):
        response = client.get(f"/awards/export/?format={fmt}")
        assert response.status_code == 200 and response.content
    assert client.get("/awards/export/?format=pdf").status_code == 404


def test_bad_terms_show_errors_and_change_nothing(client, commissioner, directorate):
    award = _award(commissioner, directorate)
    client.force_login(commissioner)
    url = f"/awards/{award.reference}/terms/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "",
            "amount": "lots",
            "start_date": "31/02/2026",
            "end_date": "1/1/2020",
            "payment_timing": "advance",
            "notice_period_days": "90",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Enter a title" in body
    award.refresh_from_db()
    assert award.title == "Befriending service"


def test_a_pot_that_cannot_cover_the_amount_is_refused_on_the_page(
    client, commissioner, directorate
):
    award = _award(commissioner, directorate)
    pot = make_pot(commissioner.council, directorate, budget_pence=100_00)
    client.force_login(commissioner)
    response = client.post(
        f"/awards/{award.reference}/terms/",
        {
            "title": "Befriending service",
            "amount": "12000",
            "start_date": "1/4/2026",
            "end_date": "31/3/2029",
            "payment_timing": "advance",
            "pot": str(pot.pk),
            "notice_period_days": "90",
        },
    )
    assert "not enough left" in response.content.decode()
    pot.refresh_from_db()
    assert pot.committed_pence == 0


def test_the_schedule_page_refuses_a_schedule_that_does_not_add_up(
    client, commissioner, directorate
):
    award = _award(commissioner, directorate, amount_pence=100_000)
    client.force_login(commissioner)
    data = {
        "instalments-TOTAL_FORMS": "2",
        "instalments-INITIAL_FORMS": "0",
        "instalments-0-due_date": "1/4/2026",
        "instalments-0-amount": "600",
        "instalments-1-due_date": "1/10/2026",
        "instalments-1-amount": "300",
    }
    response = client.post(f"/awards/{award.reference}/schedule/", data)
    assert "they must add up to the award" in response.content.decode()
    assert award.instalments.count() == 12
    data["instalments-1-amount"] = "400"
    assert client.post(f"/awards/{award.reference}/schedule/", data).status_code == 302
    assert award.instalments.count() == 2


def test_offer_letter_pdf_and_acceptance_by_the_provider(
    client, commissioner, directorate, mailoutbox, django_capture_on_commit_callbacks
):
    member = MembershipFactory(is_admin=True, organisation__name="Hillside Carers")
    award = _award(
        commissioner,
        directorate,
        organisation=member.organisation,
        kind="contract",
        title="Carers support",
        conditions="Keep records for six years.",
    )
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/awards/{award.reference}/offer/")
    assert response.status_code == 302
    assert mailoutbox and mailoutbox[0].to == [member.user.email]

    client.force_login(member.user)
    page = client.get(f"/awards/yours/{award.reference}/").content.decode()
    assert "Accept the award" in page
    letter = client.get(f"/awards/{award.reference}/letter/").content.decode()
    assert "Contract award letter" in letter and "Keep records for six years." in letter
    pdf = client.get(f"/awards/{award.reference}/letter.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Contract award letter" in text
    assert "Hillside Carers" in text and award.reference in text
    assert "£12,000.00" in text

    refused = client.post(f"/awards/yours/{award.reference}/", {"action": "accept", "name": ""})
    assert "Enter your full name" in refused.content.decode()
    client.post(
        f"/awards/yours/{award.reference}/",
        {"action": "accept", "name": "Mary Seacole", "confirm": "on"},
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE and award.accepted_name == "Mary Seacole"


def test_a_provider_cannot_see_another_organisations_award(client, commissioner, directorate):
    award = _award(commissioner, directorate, status=AwardStatus.OFFERED)
    stranger = MembershipFactory(is_admin=True).user
    client.force_login(stranger)
    assert client.get(f"/awards/yours/{award.reference}/").status_code == 403
    assert client.get(f"/awards/{award.reference}/letter.pdf").status_code == 403
    assert award.reference not in client.get("/awards/yours/").content.decode()


def test_other_councils_staff_cannot_see_the_award(client, commissioner, directorate):
    award = _award(commissioner, directorate)
    eastvale = staff_with_role(Role.FINANCE_OFFICER, council=CouncilFactory(name="Eastvale"))
    client.force_login(eastvale)
    assert client.get(f"/awards/{award.reference}/").status_code == 403
    assert award.reference not in client.get("/awards/").content.decode()


def test_finance_records_a_payment_and_a_held_one_is_refused(client, commissioner, directorate):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    award = _award(
        commissioner,
        directorate,
        status=AwardStatus.ACTIVE,
        start_date=today - timedelta(days=120),
        end_date=today + timedelta(days=1000),
    )
    finance = staff_with_role(Role.FINANCE_OFFICER, council=commissioner.council)
    client.force_login(finance)
    assert (
        client.post(f"/awards/{award.reference}/instalments/1/pay/", {"note": "BACS"}).status_code
        == 302
    )
    held = client.post(f"/awards/{award.reference}/instalments/2/pay/", {})
    assert "held until a monitoring return is accepted" in held.content.decode()
    page = client.get(f"/awards/{award.reference}/").content.decode()
    assert "Paid" in page and "Held" in page


def test_a_termination_before_the_notice_period_ends_is_refused_on_the_page(
    client, commissioner, directorate
):
    award = _award(commissioner, directorate, status=AwardStatus.ACTIVE)
    client.force_login(commissioner)
    response = client.post(
        f"/awards/{award.reference}/variations/new/",
        {
            "kind": "termination",
            "notice_given_on": "1/1/2027",
            "new_end_date": "1/2/2027",
            "reason": "No longer needed",
        },
    )
    assert "can end no earlier than 1 April 2027" in response.content.decode()
    assert not award.variations.exists()
    ok = client.post(
        f"/awards/{award.reference}/variations/new/",
        {"kind": "end_date", "new_end_date": "31/3/2030", "reason": "Extension"},
    )
    assert ok.status_code == 302
    variation = award.variations.get()
    finance = staff_with_role(Role.FINANCE_OFFICER, council=commissioner.council)
    client.force_login(finance)
    client.post(f"/awards/{award.reference}/variations/{variation.pk}/", {"decision": "approve"})
    award.refresh_from_db()
    assert award.end_date == date(2030, 3, 31)

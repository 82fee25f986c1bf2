"""Application services: drafts, uploads, submission, deadlines, withdrawal, sealed bids."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thrive.accounts.tests.factories import MembershipFactory, staff_with_role
from thrive.applications import tasks
from thrive.applications.models import ApplicationStatus, BidOpening, Submission
from thrive.applications.services import drafts, sealed, submission
from thrive.applications.tests.factories import (
    PDF,
    PNG,
    ApplicationFactory,
    CompleteApplicationFactory,
    SubmittedApplicationFactory,
)
from thrive.audit.models import AuditEvent
from thrive.opportunities.models import OpportunityStatus
from thrive.opportunities.tests.factories import LotFactory, OpportunityFactory, TenderFactory

pytestmark = pytest.mark.django_db


def _member(application):
    return MembershipFactory(organisation=application.organisation).user


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- starting and saving drafts -------------------------------------------------------


def test_start_application_pins_the_current_form_version_and_is_idempotent() -> None:
    opportunity = OpportunityFactory()
    member = MembershipFactory()
    first = drafts.start_application(
        opportunity=opportunity, organisation=member.organisation, actor=member.user
    )
    again = drafts.start_application(
        opportunity=opportunity, organisation=member.organisation, actor=member.user
    )
    assert first.pk == again.pk
    assert first.form_version == opportunity.form_template.current_version()
    assert AuditEvent.objects.filter(action="applications.application.started").count() == 1


def test_start_needs_a_lot_when_the_opportunity_has_lots() -> None:
    lot = LotFactory(opportunity=TenderFactory())
    member = MembershipFactory()
    with pytest.raises(ValidationError, match="Select the lot you are bidding for"):
        drafts.start_application(
            opportunity=lot.opportunity, organisation=member.organisation, actor=member.user
        )
    made = drafts.start_application(
        opportunity=lot.opportunity, organisation=member.organisation, actor=member.user, lot=lot
    )
    assert made.lot == lot


def test_start_is_refused_for_a_draft_opportunity() -> None:
    opportunity = OpportunityFactory(status=OpportunityStatus.DRAFT)
    member = MembershipFactory()
    with pytest.raises(ValidationError, match="not taking applications"):
        drafts.start_application(
            opportunity=opportunity, organisation=member.organisation, actor=member.user
        )


def test_a_draft_saves_with_required_answers_empty() -> None:
    application = ApplicationFactory()
    result = drafts.save_section(
        application=application,
        section_key="project",
        data={"project_title": "Drama club"},
        actor=_member(application),
    )
    assert result.errors == {}
    application.refresh_from_db()
    assert application.answers == {"project_title": "Drama club"}
    assert application.section_edits["project"]["user_id"] is not None


def test_malformed_answers_come_back_as_errors_and_good_ones_are_kept() -> None:
    application = ApplicationFactory()
    result = drafts.save_section(
        application=application,
        section_key="money",
        data={"amount_requested": "lots", "other_funding": "yes"},
        actor=_member(application),
    )
    assert result.errors["amount_requested"] == [
        "How much are you asking for? must be an amount in pounds, like 1500 or 1,500.50"
    ]
    application.refresh_from_db()
    assert application.answers == {"other_funding": "yes"}


def test_word_limit_is_reported_when_saving() -> None:
    application = ApplicationFactory()
    result = drafts.save_section(
        application=application,
        section_key="project",
        data={"project_summary": "word " * 251},
        actor=_member(application),
    )
    assert "250 words or fewer" in result.errors["project_summary"][0]


def test_budget_table_is_kept_in_pence_and_sets_nothing_else() -> None:
    application = ApplicationFactory()
    drafts.save_section(
        application=application,
        section_key="money",
        data={
            "amount_requested": "1,500",
            "budget__0__item": "Costumes",
            "budget__0__amount": "1000",
            "budget__1__item": "Scripts",
            "budget__1__amount": "500.50",
        },
        actor=_member(application),
    )
    application.refresh_from_db()
    assert application.answers["budget"] == [
        {"item": "Costumes", "amount_pence": 100_000},
        {"item": "Scripts", "amount_pence": 50_050},
    ]
    assert application.amount_requested_pence == 150_000


def test_two_members_saving_different_sections_keep_both_answers() -> None:
    application = ApplicationFactory()
    first = _member(application)
    second = _member(application)
    stale = type(application).objects.get(pk=application.pk)
    drafts.save_section(
        application=application,
        section_key="project",
        data={"project_title": "Drama club"},
        actor=first,
    )
    drafts.save_section(
        application=stale, section_key="money", data={"other_funding": "no"}, actor=second
    )
    application.refresh_from_db()
    assert application.answers == {"project_title": "Drama club", "other_funding": "no"}
    assert set(application.section_edits) == {"project", "money"}


def test_saving_after_the_deadline_is_refused() -> None:
    application = ApplicationFactory()
    late = application.opportunity.closes_at + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="The deadline for this opportunity has passed"):
        drafts.save_section(
            application=application,
            section_key="project",
            data={"project_title": "x"},
            actor=_member(application),
            now=late,
        )


# --- uploads --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_uploads_are_recognised_by_content(settings, tmp_path, data, content_type) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory()
    attachment = drafts.upload_attachment(
        application=application,
        question_key="quote",
        upload=SimpleUploadedFile("anything.bin", data),
        actor=_member(application),
    )
    assert attachment.content_type == content_type
    assert application.answers["quote"] == attachment.pk
    assert str(tmp_path / "private") in attachment.file.path


def test_an_executable_named_pdf_is_refused(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="must be a PDF, Word"):
        drafts.upload_attachment(
            application=application,
            question_key="quote",
            upload=SimpleUploadedFile("quote.pdf", b"MZ\x90\x00 this is a program"),
            actor=_member(application),
        )


def test_a_zip_that_is_not_an_office_document_is_refused(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="must be a PDF, Word"):
        drafts.upload_attachment(
            application=application,
            question_key="quote",
            upload=SimpleUploadedFile("quote.docx", _zip({"evil.sh": b"rm -rf"})),
            actor=_member(application),
        )


def test_uploads_over_the_size_cap_are_refused(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.THRIVE_UPLOAD_MAX_BYTES = 1024 * 1024
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="smaller than 1MB"):
        drafts.upload_attachment(
            application=application,
            question_key="quote",
            upload=SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)),
            actor=_member(application),
        )


def test_an_empty_upload_is_refused(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="The selected file is empty"):
        drafts.upload_attachment(
            application=application,
            question_key="quote",
            upload=SimpleUploadedFile("empty.pdf", b""),
            actor=_member(application),
        )


def test_upload_to_a_question_that_is_not_a_file_question_is_refused(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="No such file question"):
        drafts.upload_attachment(
            application=application,
            question_key="project_title",
            upload=SimpleUploadedFile("a.pdf", PDF),
            actor=_member(application),
        )


# --- submission -----------------------------------------------------------------------


def test_submission_records_a_receipt_with_a_reference_and_emails_it(
    django_capture_on_commit_callbacks,
) -> None:
    application = CompleteApplicationFactory()
    user = _member(application)
    with django_capture_on_commit_callbacks(execute=True):
        done = submission.submit_application(
            application=application, actor=user, idempotency_key="k1", declaration=True
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert done.reference == application.reference
    assert application.reference.startswith(application.opportunity.reference)
    assert application.organisation_snapshot["Name"] == application.organisation.name
    assert len(mail.outbox) == 1
    assert done.reference in mail.outbox[0].subject
    assert user.email in mail.outbox[0].to
    event = AuditEvent.objects.get(action="applications.application.submitted")
    assert event.after["reference"] == done.reference


def test_the_receipt_says_what_it_promises_reading_only_what_it_shows(
    django_assert_max_num_queries,
) -> None:
    """A deadline's thousands of receipts are sent in the rush: the task reads the fields it
    shows in two queries, and none is left to load one at a time from the template."""
    application = CompleteApplicationFactory(
        opportunity__decision_expected=datetime(2027, 3, 31).date(),
        opportunity__council__contact_email="grants@westshire.example",
        opportunity__council__phone="01234 567890",
        opportunity__council__website="https://www.westshire.example",
        organisation__name="Brackenford O'Neill Trust",
    )
    user = _member(application)
    done = submission.submit_application(
        application=application, actor=user, idempotency_key="k1", declaration=True
    )
    mail.outbox.clear()
    with django_assert_max_num_queries(7) as queries:  # two reads, the mark in savepoints
        tasks.send_receipt.call(done.pk)
    # On PostgreSQL a read compiled once is sent as ``EXECUTE`` of its prepared statement.
    reads = [q["sql"] for q in queries if q["sql"].lstrip().startswith(("SELECT", "EXECUTE"))]
    assert sum("done" not in sql for sql in reads) == 2
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Brackenford O" in part and application.opportunity.title in part
        assert application.opportunity.reference in part and done.reference in part
        assert "31 March 2027" in part
        assert "grants@westshire.example" in part and "01234 567890" in part
        assert "www.westshire.example" in part
    assert message.to == [user.email]


def test_a_retried_submission_makes_one_submission() -> None:
    application = CompleteApplicationFactory()
    user = _member(application)
    first = submission.submit_application(
        application=application, actor=user, idempotency_key="same", declaration=True
    )
    second = submission.submit_application(
        application=application, actor=user, idempotency_key="same", declaration=True
    )
    assert first.pk == second.pk
    assert Submission.objects.filter(application=application).count() == 1


def test_a_second_submission_with_a_new_key_is_refused() -> None:
    application = CompleteApplicationFactory()
    user = _member(application)
    submission.submit_application(
        application=application, actor=user, idempotency_key="a", declaration=True
    )
    with pytest.raises(ValidationError, match="already been submitted"):
        submission.submit_application(
            application=application, actor=user, idempotency_key="b", declaration=True
        )


def test_one_second_late_is_refused_with_the_deadline_in_uk_time() -> None:
    application = CompleteApplicationFactory(
        opportunity=OpportunityFactory(
            opens_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
            closes_at=datetime(2026, 7, 3, 16, 0, tzinfo=UTC),
        )
    )
    late = application.opportunity.closes_at + timedelta(seconds=1)
    with pytest.raises(ValidationError) as caught:
        submission.submit_application(
            application=application,
            actor=_member(application),
            idempotency_key="late",
            declaration=True,
            now=late,
        )
    assert caught.value.messages == [
        "The deadline for this opportunity has passed. The deadline was 5:00pm on Friday "
        "3 July 2026 (UK time). Applications cannot be changed or submitted after the deadline."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_one_second_early_is_accepted() -> None:
    application = CompleteApplicationFactory()
    just_in_time = application.opportunity.closes_at - timedelta(seconds=1)
    done = submission.submit_application(
        application=application,
        actor=_member(application),
        idempotency_key="ok",
        declaration=True,
        now=just_in_time,
    )
    assert done.submitted_at == just_in_time


def test_submission_needs_the_declaration() -> None:
    application = CompleteApplicationFactory()
    with pytest.raises(ValidationError, match="Confirm the declaration to submit"):
        submission.submit_application(
            application=application,
            actor=_member(application),
            idempotency_key="k",
            declaration=False,
        )


def test_submission_lists_the_sections_still_to_complete() -> None:
    application = ApplicationFactory(answers={"project_title": "Drama"})
    with pytest.raises(ValidationError, match="Check: Your project, Money"):
        submission.submit_application(
            application=application,
            actor=_member(application),
            idempotency_key="k",
            declaration=True,
        )
    pages = submission.errors_by_section(application=application)
    assert pages[0].errors["project_summary"] == [
        "Enter an answer for: What will the grant pay for?"
    ]
    assert pages[1].errors["budget"] == [
        "Enter at least one budget line for: What will you spend it on?"
    ]


def test_a_small_grant_over_the_limit_is_refused() -> None:
    application = CompleteApplicationFactory(amount_requested_pence=500_001)
    with pytest.raises(ValidationError, match="must be £5,000 or less"):
        submission.submit_application(
            application=application,
            actor=_member(application),
            idempotency_key="k",
            declaration=True,
        )


def test_withdraw_then_reopen_and_resubmit_before_the_deadline() -> None:
    application = CompleteApplicationFactory()
    user = _member(application)
    submission.submit_application(
        application=application, actor=user, idempotency_key="1", declaration=True
    )
    submission.withdraw_application(application=application, actor=user, reason="Wrong budget")
    assert application.status == ApplicationStatus.WITHDRAWN
    submission.reopen_application(application=application, actor=user)
    assert application.status == ApplicationStatus.DRAFT
    again = submission.submit_application(
        application=application, actor=user, idempotency_key="2", declaration=True
    )
    assert again.reference == f"{application.reference}-R1"
    actions = list(
        AuditEvent.objects.filter(action__startswith="applications.application").values_list(
            "action", flat=True
        )
    )
    assert "applications.application.withdrawn" in actions
    assert "applications.application.reopened" in actions


def test_withdrawal_after_the_deadline_is_refused() -> None:
    application = SubmittedApplicationFactory()
    with pytest.raises(ValidationError, match="deadline"):
        submission.withdraw_application(
            application=application,
            actor=_member(application),
            now=application.opportunity.closes_at,
        )


# --- sealed bids ----------------------------------------------------------------------


def _closed_tender():
    now = timezone.now()
    return TenderFactory(opens_at=now - timedelta(days=30), closes_at=now - timedelta(hours=1))


def test_sealed_bids_cannot_be_opened_before_the_deadline() -> None:
    tender = TenderFactory()
    officer = staff_with_role("procurement_officer")
    with pytest.raises(ValidationError, match="cannot be opened before the deadline"):
        sealed.open_sealed_bids(opportunity=tender, actor=officer)


def test_only_a_procurement_officer_opens_sealed_bids() -> None:
    tender = _closed_tender()
    commissioner = staff_with_role("commissioner")
    with pytest.raises(ValidationError, match="Only a procurement officer"):
        sealed.open_sealed_bids(opportunity=tender, actor=commissioner)


def test_opening_is_recorded_once_with_who_and_when() -> None:
    tender = _closed_tender()
    SubmittedApplicationFactory(opportunity=tender, answers={})
    officer = staff_with_role("procurement_officer")
    opening = sealed.open_sealed_bids(opportunity=tender, actor=officer, note="Panel present")
    assert opening.opened_by == officer
    assert opening.bids_opened == 1
    assert AuditEvent.objects.filter(action="applications.bids.opened").exists()
    with pytest.raises(ValidationError, match="already been opened"):
        sealed.open_sealed_bids(opportunity=tender, actor=officer)


def test_grant_rounds_are_not_sealed() -> None:
    grant = OpportunityFactory()
    officer = staff_with_role("procurement_officer")
    with pytest.raises(ValidationError, match="Only quotations and tenders"):
        sealed.open_sealed_bids(opportunity=grant, actor=officer)


def test_unsealed_query_hides_bids_until_deadline_and_opening() -> None:
    from thrive.applications.models import Application

    tender = TenderFactory()
    bid = SubmittedApplicationFactory(opportunity=tender, answers={})
    grant = SubmittedApplicationFactory()
    assert set(Application.objects.unsealed()) == {grant}
    after = tender.closes_at + timedelta(seconds=1)
    assert bid not in Application.objects.unsealed(after)
    BidOpening.objects.create(
        opportunity=tender, opened_by=staff_with_role("procurement_officer"), opened_at=after
    )
    assert bid not in Application.objects.unsealed(tender.closes_at - timedelta(seconds=1))
    assert bid in Application.objects.unsealed(after)

"""The load test's world and its checks, run in the load test's own process with Django set up
on the load test database: organisations with a user and an API token each (made in bulk), one
open small grants round, then the count of what the database kept."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

RECEIPT_TASK = "thrive.applications.tasks.send_receipt"


@dataclass
class Applicant:
    organisation_id: int
    secret: str
    address: str


@dataclass
class World:
    opportunity_id: int
    applicants: list[Applicant]


def build_world(*, organisations: int) -> World:
    """Add ``organisations`` registered organisations, each with a verified admin holding an
    API token, and publish one small grants round open for a day."""
    from django.contrib.auth.hashers import make_password  # lazy: Django is set up by the caller
    from django.db import connection, transaction
    from django.utils import timezone

    from thrive.accounts.models import ApiToken, Council, Membership, User
    from thrive.accounts.tokens import hash_api_secret, new_api_secret
    from thrive.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus
    from thrive.organisations.models import Organisation
    from thrive.questions.defaults import ensure_default_templates

    now = timezone.now()
    council = Council.objects.order_by("pk").first()
    directorate = council.directorates.order_by("pk").first()
    unusable = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"surge-{n}",
                email=f"surge-{n}@example.org",
                first_name="Surge",
                last_name=str(n),
                password=unusable,
                email_verified_at=now,
            )
            for n in range(organisations)
        )
        orgs = Organisation.objects.bulk_create(
            Organisation(name=f"Surge Community Group {n}", town="Westtown")
            for n in range(organisations)
        )
        Membership.objects.bulk_create(
            Membership(user=u, organisation=o, is_admin=True)
            for u, o in zip(users, orgs, strict=True)
        )
        secrets = [new_api_secret() for _ in users]
        ApiToken.objects.bulk_create(
            ApiToken(user=u, name="surge", prefix=s[:12], key_hash=hash_api_secret(s))
            for u, s in zip(users, secrets, strict=True)
        )
        opportunity = Opportunity.objects.create(
            council=council,
            directorate=directorate,
            reference="SURGE-0001",
            title="Community grants: the deadline surge",
            summary="Grants for community groups.",
            process="Apply online. One officer decides within four weeks.",
            kind=OpportunityKind.SMALL_GRANTS,
            status=OpportunityStatus.PUBLISHED,
            sealed=False,
            value_pence=500_000_000,
            max_award_pence=500_000,
            form_template=ensure_default_templates()["small-grant"],
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            published_at=now - timedelta(hours=1),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    applicants = [
        Applicant(o.pk, s, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        for n, (o, s) in enumerate(zip(orgs, secrets, strict=True))
    ]
    return World(opportunity.pk, applicants)


@dataclass
class Checked:
    acknowledged: int = 0
    stored: int = 0
    lost: list[int] = field(default_factory=list)
    duplicated: list[int] = field(default_factory=list)
    receipts_queued: int = 0
    receipts_queued_twice: int = 0
    receipts_missing: int = 0
    receipts_done: int = 0
    emails_sent: int = 0
    emails_sent_twice: int = 0

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.duplicated
            or self.receipts_queued_twice
            or self.receipts_missing
            or self.emails_sent_twice
        )


def check_world(*, world: World, acknowledged: dict[int, str], email_log: str) -> Checked:
    """Every acknowledged receipt stored exactly once, every receipt task queued once."""
    from django_tasks_db.models import DBTaskResult  # lazy: Django is set up by the caller

    from thrive.applications.models import Application, ApplicationStatus, Submission

    result = Checked(acknowledged=len(acknowledged))
    ours = Application.objects.filter(opportunity_id=world.opportunity_id)
    per_org = Counter(ours.values_list("organisation_id", flat=True))
    submissions = list(
        Submission.objects.filter(application__opportunity_id=world.opportunity_id).values_list(
            "pk", "application__organisation_id", "reference"
        )
    )
    by_org = Counter(org for _, org, _ in submissions)
    references = {org: ref for _, org, ref in submissions}
    submitted = set(
        ours.filter(status=ApplicationStatus.SUBMITTED).values_list("organisation_id", flat=True)
    )
    for org, reference in acknowledged.items():
        if by_org[org] == 0 or references.get(org) != reference or org not in submitted:
            result.lost.append(org)
    result.duplicated = sorted(
        {org for org, n in per_org.items() if n > 1} | {org for org, n in by_org.items() if n > 1}
    )
    result.stored = len(submissions)
    rows = DBTaskResult.objects.filter(task_path=RECEIPT_TASK).values_list("args_kwargs", flat=True)
    queued = Counter(row["args"][0] for row in rows if row.get("args"))
    wanted = {pk for pk, _, _ in submissions}
    result.receipts_queued = sum(1 for pk in wanted if queued[pk] >= 1)
    result.receipts_queued_twice = sum(1 for pk in wanted if queued[pk] > 1)
    result.receipts_missing = sum(1 for pk in wanted if queued[pk] == 0)
    result.receipts_done = DBTaskResult.objects.filter(
        task_path=RECEIPT_TASK, status="SUCCESSFUL"
    ).count()
    sent = Counter(re.findall(r"^Subject: Application received: (\S+)", email_log, re.M))
    result.emails_sent = sum(1 for _, _, ref in submissions if sent[ref] >= 1)
    result.emails_sent_twice = sum(1 for _, _, ref in submissions if sent[ref] > 1)
    return result


def receipts_waiting() -> int:
    """Receipt tasks not yet finished by the worker."""
    from django_tasks_db.models import DBTaskResult  # lazy: Django is set up by the caller

    return DBTaskResult.objects.filter(
        task_path=RECEIPT_TASK, status__in=["READY", "RUNNING"]
    ).count()


def transactions_committed() -> int:
    """The database's committed transactions so far (``pg_stat_database``)."""
    from django.db import connection  # lazy: Django is set up by the caller

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(cursor.fetchone()[0])

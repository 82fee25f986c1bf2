"""The Third Sector test (§1.4) as the eligibility checker and screening use it: the answers
kept on the organisation's profile, never asked for again and never lost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from thrive.core import policy
from thrive.opportunities import selectors as opportunity_selectors
from thrive.organisations.models import Organisation, TestAnswer, TestOutcome

CHECKER_ANSWER = {TestOutcome.MEETS: TestAnswer.YES, TestOutcome.DOES_NOT_MEET: TestAnswer.NO}


@dataclass(frozen=True)
class KeptTest:
    """The reader's organisation's Third Sector test, as the checker's first question."""

    organisation: Organisation
    answer: str  # "yes", "no", or "" when not answered yet
    may_change: bool

    def differs_from(self, answer: str) -> bool:
        """Whether an answer given in the checker is not the one kept on the profile."""
        return self.may_change and bool(answer) and answer != self.answer

    def change_url(self, answer: str, back: str) -> str:
        """The test's page, starting from the checker's answer and coming back to it."""
        url = reverse("organisations:third_sector_test", args=[self.organisation.pk])
        return f"{url}?{urlencode({'answer': answer, 'next': back})}"


def kept_test_for(user: Any) -> KeptTest | None:
    """The kept test of the one organisation the reader acts for; None for anyone else."""
    organisations = list(opportunity_selectors.provider_organisations(user)[:2])
    if len(organisations) != 1:
        return None
    organisation = organisations[0]
    return KeptTest(
        organisation=organisation,
        answer=CHECKER_ANSWER.get(organisation.third_sector_outcome, ""),
        may_change=policy.can(user, "organisations.organisation.edit", organisation),
    )

"""The assessment API's input and output schemas, one pair per endpoint."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema

from thrive.core.api.types import Id, SmallCount


class AssignmentOut(Schema):
    opportunity_id: int
    opportunity_reference: str
    title: str
    closes_at: datetime | None
    declared: bool
    has_conflict: bool | None
    conflict_organisation_ids: list[int]
    moderation_open: bool


class DeclarationIn(Schema):
    has_conflict: bool
    organisation_ids: list[Id] = []
    note: str = ""


class DeclarationOut(Schema):
    id: int
    has_conflict: bool
    organisation_ids: list[int]
    note: str
    declared_at: datetime


class ScoreIn(Schema):
    criterion_id: Id
    score: SmallCount | None = None
    not_applicable: bool = False
    passed: bool | None = None
    comment: str = ""


class ScoresIn(Schema):
    scores: list[ScoreIn]


class ScoreOut(Schema):
    criterion_id: int
    score: int | None
    not_applicable: bool
    passed: bool | None
    comment: str


class LineOut(Schema):
    criterion_id: int
    criterion: str
    weight: int
    gate: bool
    agreed_score: Decimal | None
    not_applicable: bool
    passed: bool | None
    assessor_mean: Decimal | None
    price_points: Decimal | None
    reason: str


class ResultOut(Schema):
    application_id: int
    reference: str | None
    organisation: str
    lot: int | None
    rank: int | None
    total: Decimal
    quality_total: Decimal
    passed_gates: bool
    moderated: bool
    lines: list[LineOut]


class ResultsOut(Schema):
    tie_rule: str
    moderation_open: bool
    results: list[ResultOut]


class ModerationOut(Schema):
    opportunity_id: int
    moderation_open: bool
    opened_at: datetime | None


class WinnerOut(Schema):
    application_id: int
    application_reference: str
    organisation: str
    amount_pence: int
    award_reference: str | None


class DecisionYearOut(Schema):
    financial_year: str
    amount_pence: int
    pot: str | None
    remaining_pence: int | None


class DecisionOut(Schema):
    id: int
    opportunity_id: int
    opportunity_reference: str
    lot: int | None
    status: str
    amount_pence: int
    start_date: date
    end_date: date
    reason: str
    recommended_by: str
    recommended_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    standstill_ends_at: datetime | None
    winners: list[WinnerOut]
    years: list[DecisionYearOut]


class DecisionNoteIn(Schema):
    note: str = ""

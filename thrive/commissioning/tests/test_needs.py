"""Needs, evidence and prioritisation: every rule and message (§2.2, §2.3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thrive.audit.models import AuditEvent
from thrive.commissioning import selectors
from thrive.commissioning.forms.needs import EvidenceForm
from thrive.commissioning.models import PriorityFactor
from thrive.commissioning.services import needs as services
from thrive.commissioning.tests.factories import NeedFactory
from thrive.core.models import BeneficiaryGroup
from thrive.strategy.models import Outcome
from thrive.strategy.tests.factories import OutcomeFactory

pytestmark = pytest.mark.django_db

ZERO = dict.fromkeys(PriorityFactor.values, 0)


def record(commissioner, directorate, area, **kwargs):
    defaults = {
        "council": directorate.council,
        "directorate": directorate,
        "title": "Isolation of older people",
        "description": "Many older people in villages see nobody for days.",
        "area": area,
        "outcomes": list(Outcome.objects.filter(council=directorate.council, code="PO3")),
        "groups": list(BeneficiaryGroup.objects.filter(code="older-people")),
        "actor": commissioner,
    }
    return services.record_need(**(defaults | kwargs))


def test_recording_a_need_links_area_groups_and_outcomes_and_is_audited(
    commissioner, directorate, area
) -> None:
    need = record(commissioner, directorate, area)
    assert [o.code for o in need.outcomes.all()] == ["PO3"]
    assert [g.code for g in need.groups.all()] == ["older-people"]
    event = AuditEvent.objects.get(action="commissioning.need.recorded")
    assert event.after["outcomes"] == ["PO3"]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"outcomes": []}, "outcomes", "Select at least one outcome"),
        ({"groups": []}, "groups", "Select at least one group"),
    ],
)
def test_a_need_needs_outcomes_and_groups(
    commissioner, directorate, area, kwargs, field, message
) -> None:
    with pytest.raises(ValidationError) as exc:
        record(commissioner, directorate, area, **kwargs)
    assert exc.value.message_dict[field] == [message]


def test_a_need_cannot_link_another_councils_outcome(commissioner, directorate, area) -> None:
    with pytest.raises(ValidationError, match="Choose outcomes of this council's framework"):
        record(commissioner, directorate, area, outcomes=[OutcomeFactory()])


def test_evidence_needs_a_link_or_a_file(commissioner, directorate, area) -> None:
    need = record(commissioner, directorate, area)
    with pytest.raises(ValidationError, match="Enter a link to the evidence or attach a file"):
        services.add_evidence(need=need, source="statistics", title="Census", actor=commissioner)
    item = services.add_evidence(
        need=need,
        source="user_feedback",
        title="Survey",
        url="https://example.org/s",
        actor=commissioner,
    )
    assert item.get_source_display() == "Service user feedback and satisfaction"


def test_evidence_can_be_a_file(commissioner, directorate, area, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    need = record(commissioner, directorate, area)
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4", content_type="application/pdf")
    item = services.add_evidence(
        need=need, source="inspection", title="CQC", file=upload, actor=commissioner
    )
    assert item.file.name.endswith(".pdf")


def test_scoring_needs_every_factor_and_a_statutory_basis(commissioner) -> None:
    need = NeedFactory()
    with pytest.raises(ValidationError) as exc:
        services.score_need(
            need=need, scores={}, notes={}, statutory=True, statutory_basis="", actor=commissioner
        )
    errors = exc.value.message_dict
    assert errors["statutory_basis"] == ["Enter the law or duty that requires this provision"]
    assert errors["equality_gap"] == [
        "Select a score for equality gap across the protected characteristics"
    ]
    with pytest.raises(ValidationError, match="Select a score for preventative potential"):
        services.score_need(
            need=need,
            scores=ZERO | {"preventative": 4},
            notes={},
            statutory=False,
            statutory_basis="",
            actor=commissioner,
        )


def test_scores_explain_themselves(commissioner) -> None:
    need = NeedFactory()
    services.score_need(
        need=need,
        scores=ZERO | {"equality_gap": 3, "preventative": 2},
        notes={"equality_gap": "Disabled people's outcomes lag by 20 points"},
        statutory=False,
        statutory_basis="",
        actor=commissioner,
    )
    weights = selectors.settings_for(council=need.council).weights()
    explanation = selectors.explain_priority(need=need, weights=weights)
    assert explanation.total == 3 * 3 + 2 * 2
    assert explanation.maximum == 3 * sum(weights.values())
    line = explanation.lines[0]
    assert (line.score_label, line.weight, line.points) == ("High", 3, 9)
    assert line.note == "Disabled people's outcomes lag by 20 points"
    assert explanation.sentence == (
        "Score 13 of 33: equality gap across the protected characteristics 9, "
        "preventative potential 4."
    )
    event = AuditEvent.objects.get(action="commissioning.need.scored")
    assert event.before["equality_gap"] == 0 and event.after["equality_gap"] == 3


def test_saving_the_scores_unchanged_keeps_the_scoring_date(commissioner) -> None:
    need = NeedFactory()
    scoring = {
        "scores": ZERO | {"equality_gap": 3},
        "notes": {"equality_gap": "Outcomes lag by 20 points"},
        "statutory": True,
        "statutory_basis": "Care Act 2014",
        "actor": commissioner,
    }
    services.score_need(need=need, **scoring)
    scored_at = need.scored_at
    services.score_need(need=need, **scoring)
    need.refresh_from_db()
    assert need.scored_at == scored_at
    assert AuditEvent.objects.filter(action="commissioning.need.scored").count() == 1
    services.score_need(need=need, **(scoring | {"statutory_basis": "Care Act 2014 s.1"}))
    need.refresh_from_db()
    assert need.scored_at > scored_at and need.statutory_basis == "Care Act 2014 s.1"


def test_statutory_needs_rank_first_whatever_their_score(commissioner, council) -> None:
    high = NeedFactory(council=council, title="High", equality_gap=3, budget=3, preventative=3)
    statutory = NeedFactory(
        council=council, title="Statutory", statutory=True, statutory_basis="Care Act 2014"
    )
    low = NeedFactory(council=council, title="Low", user_involvement=1)
    weights = selectors.settings_for(council=council).weights()
    ranked = list(selectors.ranked_needs(council=council, weights=weights))
    assert ranked == [statutory, high, low]
    assert selectors.explain_priority(need=statutory, weights=weights).sentence.startswith(
        "Statutory (Care Act 2014), so it ranks above every non-statutory need."
    )


def test_changing_weights_changes_the_ranking(commissioner, council) -> None:
    equality = NeedFactory(council=council, title="Equality", equality_gap=3)
    prevention = NeedFactory(council=council, title="Prevention", preventative=3)
    settings_ = selectors.settings_for(council=council)
    assert list(selectors.ranked_needs(council=council, weights=settings_.weights())) == [
        equality,
        prevention,
    ]
    settings_.weight_equality_gap, settings_.weight_preventative = 1, 5
    services.save_settings(settings=settings_, actor=commissioner)
    assert list(selectors.ranked_needs(council=council, weights=settings_.weights())) == [
        prevention,
        equality,
    ]
    event = AuditEvent.objects.get(action="commissioning.settings.changed")
    assert (event.before["weight_preventative"], event.after["weight_preventative"]) == (2, 5)


def test_weights_cannot_all_be_zero(commissioner, council) -> None:
    settings_ = selectors.settings_for(council=council)
    for factor in PriorityFactor.values:
        setattr(settings_, f"weight_{factor}", 0)
    with pytest.raises(ValidationError, match="Give at least one factor a weight above 0"):
        services.save_settings(settings=settings_, actor=commissioner)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    scores=st.lists(
        st.fixed_dictionaries({f: st.integers(0, 3) for f in PriorityFactor.values}),
        min_size=2,
        max_size=5,
    ),
    weights=st.fixed_dictionaries({f: st.integers(0, 5) for f in PriorityFactor.values}),
)
def test_database_ranking_agrees_with_the_explanations(council, scores, weights) -> None:
    for index, score in enumerate(scores):
        NeedFactory(council=council, title=f"N{index}", **score)
    ranked = list(selectors.ranked_needs(council=council, weights=weights))
    totals = [selectors.explain_priority(need=n, weights=weights).total for n in ranked]
    assert totals == sorted(totals, reverse=True)
    assert [n.priority_score for n in ranked] == totals
    for need in ranked:
        need.delete()


def test_an_evidence_link_typed_without_its_scheme_is_kept_as_https() -> None:
    form = EvidenceForm(
        {"source": "statistics", "title": "Census 2021", "url": "www.ons.gov.uk/census"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["url"] == "https://www.ons.gov.uk/census"

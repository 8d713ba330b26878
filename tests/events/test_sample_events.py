"""The sample article's events (issue 13): what it lists, checked on ``../shared``'s copy.

Skips when ``../shared`` is absent.  The article's text never enters the repository:
the checks name codes, types, modalities, dates and claimants, and the trigger words.
"""

from __future__ import annotations

import pytest

from accordingto.ingest.read import read_file
from accordingto.model import Modality
from accordingto.pipeline import analyze

NOT_HAPPENED = {Modality.PLANNED, Modality.HYPOTHETICAL, Modality.THREATENED, Modality.NEGATED}


@pytest.fixture(scope="module")
def sample(shared_dir):
    path = shared_dir / "samples" / "drone-attack-on-moscow.md"
    if not path.is_file():
        pytest.skip(f"no sample at {path}")
    return analyze(read_file(path))


def _claimant(analysis, event) -> str | None:
    speaker = analysis.speaker(event.claimed_by)
    return speaker.name if speaker else None


def _find(analysis, trigger: str, **fields):
    return [
        e
        for e in analysis.events
        if any(m.text == trigger for m in e.mentions)
        and all(getattr(e, k) == v for k, v in fields.items())
    ]


def test_the_drone_strike_is_found_once(sample):
    strikes = [
        e
        for e in sample.events
        if (e.actor_code, e.target_code, e.root, e.modality)
        == ("UKR", "RUS", "ASSAULT", Modality.HAPPENED)
    ]
    assert len(strikes) == 1
    assert strikes[0].date == "2023-05-30"
    assert "strike" in [m.text for m in strikes[0].mentions]
    assert strikes[0].claimed_by is None


def test_the_f16_decision_is_planned_us_to_ukraine(sample):
    found = _find(sample, "deploy", actor_code="USA", target_code="UKR")
    assert found and found[0].modality is Modality.PLANNED


def test_the_authorization_and_endorsement_are_claimed_by_the_times_of_london(sample):
    for trigger in ("authorization", "endorsement"):
        (e,) = _find(sample, trigger)
        assert (e.actor_code, e.target_code) == ("USA", "UKR")
        assert _claimant(sample, e) == "Times of London"


def test_the_us_denial_is_negated_and_claimed_by_the_united_states(sample):
    (e,) = _find(sample, "encourage")
    assert e.modality is Modality.NEGATED
    assert e.actor_code == "USA"
    assert sample.speaker(e.claimed_by) is not None
    assert sample.speaker(e.claimed_by).name in ("US", "United States")


def test_testing_moscows_air_defense_is_hypothetical_via_the_nyt_citing_bendett(sample):
    (e,) = _find(sample, "test")
    assert e.modality is Modality.HYPOTHETICAL
    assert (e.actor_code, e.target_code) == ("UKR", "RUS")
    assert _claimant(sample, e) == "Sam Bendett"
    quote = next(q for q in sample.quotes if q.speaker_id == e.claimed_by)
    assert [sample.speaker(v).name for v in quote.via] == ["New York Times"]


def test_the_carriers_operations(sample):
    found = _find(sample, "carrying", actor_code="USA", actor_sector="MIL")
    assert found and found[0].modality is Modality.HAPPENED


def test_the_carriers_operations_are_near_russia(sample):
    (e,) = _find(sample, "carrying")
    assert e.target_code == "RUS"


def test_blinkens_visit_to_sweden(sample):
    (e,) = _find(sample, "arrived", target_code="SWE")
    assert (e.actor_code, e.actor_sector, e.root) == ("USA", "GOV", "CONSULT")
    assert e.date == "2023-05-29"


def test_putins_failure_to_retaliate_is_negated(sample):
    (e,) = _find(sample, "retaliate")
    assert e.modality is Modality.NEGATED
    assert e.actor_code == "RUS"


def test_nothing_hypothetical_or_planned_is_coded_as_happened(sample):
    text = sample.article.text
    for phrase in ("might serve to test", "aimed at provoking", "decision to deploy"):
        start = text.index(phrase)
        inside = [e for e in sample.events if start <= e.trigger.start < start + len(phrase)]
        assert inside, phrase
        assert all(e.modality in NOT_HAPPENED for e in inside), phrase
    for phrase in ("could then be used to justify", "It can happen"):
        start = text.index(phrase)
        assert not [
            e
            for e in sample.events
            if start <= e.trigger.start < start + len(phrase) and e.modality is Modality.HAPPENED
        ], phrase


def test_nothing_from_the_contact_footer(sample):
    footer = sample.article.text.index("To contact")
    assert all(m.start < footer for e in sample.events for m in e.mentions)

"""Calibrated confidence: the shipped weights, the evidence, and orderings that must hold."""

from __future__ import annotations

import dataclasses

import pytest

from accordingto.attribution.confidence import (
    Evidence,
    LogisticModel,
    estimate,
    features,
    load_models,
    mention_kind,
)
from accordingto.pipeline import analyze

MENTIONS = [
    ("he", "pronoun"),
    ("They", "pronoun"),
    ("who", "pronoun"),
    ("Sen. Ted Cruz", "name"),
    ("Clinton's team", "name"),
    ("The campaign", "description"),
    ("a spokesman", "description"),
    ("the GOP candidate", "name"),
    ("46 percent", "description"),
    # negatives: a pronoun inside a longer mention is not a pronoun mention
    ("his advisers", "description"),
    ("he and Ortiz", "name"),
]


@pytest.mark.parametrize(("mention", "kind"), MENTIONS)
def test_mention_kind_follows_the_gold_rule(mention, kind):
    assert mention_kind(mention) == kind


def _evidence(**changes) -> Evidence:
    base = Evidence(
        method="cue",
        kind="direct",
        found_by="both",
        reported_as="speech",
        quotes=1,
        content_chars=80,
        pieces=1,
        cue_gap=2,
        source_gap=1,
        cited=False,
        mention="name",
        speaker_kind="person",
        named_here=True,
        antecedent=0,
        speaker_mentions=3,
    )
    return dataclasses.replace(base, **changes)


def test_weights_load_and_give_probabilities():
    models = load_models()
    assert models.attribution.weights and models.speaker.weights
    extremes = [
        _evidence(),
        _evidence(method="unattributed", cue_gap=-1, source_gap=-1, mention="none"),
        _evidence(content_chars=10**6, quotes=50, antecedent=10**6, speaker_mentions=10**4),
    ]
    for ev in extremes:
        x = features(ev)
        for model in (models.attribution, models.speaker):
            assert 0.0 <= model.probability(x) <= 1.0


def test_logistic_model_is_a_sigmoid_and_ignores_unknown_features():
    model = LogisticModel(0.0, {"a": 2.0})
    assert model.probability({}) == 0.5
    assert model.probability({"a": 1.0, "unknown": 5.0}) == pytest.approx(0.8808, abs=1e-4)
    assert model.probability({"a": -1000.0}) == pytest.approx(0.0)  # no overflow


P = load_models()

#: (surer, less sure): the first evidence must get the higher attribution probability.
ATTRIBUTION_ORDER = [
    # a cued direct quotation beats an uncued continuation of it
    (
        _evidence(),
        _evidence(
            method="continuation",
            cue_gap=-1,
            source_gap=-1,
            mention="none",
            named_here=False,
            antecedent=120,
        ),
    ),
    # ... and a quotation nobody is said to have said
    (
        _evidence(),
        _evidence(
            method="unattributed",
            found_by="rules",
            cue_gap=-1,
            source_gap=-1,
            mention="none",
            speaker_kind="none",
            named_here=False,
            antecedent=-1,
            speaker_mentions=0,
        ),
    ),
    # a cue with a source beats one whose source was not found
    (
        _evidence(),
        _evidence(source_gap=-1, mention="none", speaker_kind="none", named_here=False),
    ),
]


@pytest.mark.parametrize(("surer", "less"), ATTRIBUTION_ORDER)
def test_attribution_confidence_ordering(surer, less):
    assert P.attribution.probability(features(surer)) > P.attribution.probability(features(less))


#: (surer, less sure) speaker resolutions.
SPEAKER_ORDER = [
    # a name in the mention beats a pronoun whose antecedent is far back
    (_evidence(), _evidence(mention="pronoun", named_here=False, antecedent=1500)),
    # a description matched to a name written right before it beats one that names nobody
    (
        _evidence(mention="description", named_here=False, antecedent=30),
        _evidence(mention="description", named_here=False, antecedent=-1, speaker_kind="unknown"),
    ),
    # a pronoun with no one else named since its antecedent beats one with two rivals
    (
        _evidence(mention="pronoun", named_here=False, antecedent=300, rivals=0),
        _evidence(mention="pronoun", named_here=False, antecedent=300, rivals=2),
    ),
    # a pronoun right after the name beats one far from it
    pytest.param(
        _evidence(mention="pronoun", named_here=False, antecedent=15),
        _evidence(mention="pronoun", named_here=False, antecedent=2500),
        marks=pytest.mark.xfail(
            reason="on PolNeAR train the distance back to the speaker's name hardly separates "
            "right from wrong pronoun resolutions (the resolver picks a near name, right or "
            "wrong): its weight is about 0; the rivals named in between carry that signal",
            strict=False,
        ),
    ),
]


@pytest.mark.parametrize(("surer", "less"), SPEAKER_ORDER)
def test_speaker_confidence_ordering(surer, less):
    assert P.speaker.probability(features(surer)) > P.speaker.probability(features(less))


def _quote(analysis, words: str):
    return next(q for q in analysis.quotes if any(words in c.text for c in q.content))


def test_a_named_cued_quotation_is_surer_than_its_uncued_continuation():
    text = (
        "“We will rebuild the bridge by spring,” Mayor Ana Ortiz said on Monday.\n\n"
        "“The money is already there, and the crews are ready to start work,” she went on.\n\n"
        "“Nobody in this city should have to wait another winter for a safe way across.”"
    )
    analysis = analyze(text, events=False)
    named = _quote(analysis, "rebuild the bridge")
    uncued = _quote(analysis, "another winter")
    assert uncued.method == "continuation"
    assert named.confidence > uncued.confidence
    assert named.speaker_confidence is not None and uncued.speaker_confidence is not None


def test_names_counts_other_people_named_in_a_stretch():
    from accordingto.attribution.confidence import Names

    names = Names((10, 40, 70, 90), ("ortiz", "lind", "lind", "ortiz"))
    assert names.rivals(0, 100, "Ortiz") == 1  # Lind, once however often
    assert names.rivals(41, 100, "Ortiz") == 1
    assert names.rivals(71, 100, "Ortiz") == 0
    assert names.rivals(0, 10, None) == 0  # the end is not included


def test_a_pronoun_after_a_rival_is_less_sure_than_one_right_after_its_name():
    text = (
        "Mayor Ana Ortiz spoke on Monday. She said the bridge would be rebuilt by spring.\n\n"
        "Mayor Ana Ortiz met Governor Bo Lind and Senator Cy Park on Tuesday. She said the money "
        "was already there."
    )
    analysis = analyze(text, events=False)
    near = _quote(analysis, "rebuilt by spring")
    crowded = _quote(analysis, "money was already there")
    assert near.speaker_confidence is not None and crowded.speaker_confidence is not None
    assert near.speaker_confidence > crowded.speaker_confidence


def test_a_pronoun_far_from_its_name_is_less_sure_than_the_name():
    filler = " ".join(
        f"The council met for the {n}th time and discussed the budget, the roads and the parks."
        for n in range(4, 24)
    )
    text = (
        f"Mayor Ana Ortiz said the city would rebuild the bridge by spring. {filler} "
        "She said the money was already there."
    )
    analysis = analyze(text, events=False)
    named = _quote(analysis, "rebuild the bridge")
    far = _quote(analysis, "money was already there")
    assert far.source is not None and far.source.text == "She"
    assert named.speaker_confidence is not None and far.speaker_confidence is not None
    assert named.speaker_confidence > far.speaker_confidence


def test_no_speaker_no_speaker_confidence():
    analysis = analyze(
        "The report was long.\n\n“This is a long quotation that nobody is said to have said here.”",
        events=False,
    )
    for q in analysis.quotes:
        if q.speaker_id is None:
            assert q.speaker_confidence is None
        assert 0.0 <= q.confidence <= 1.0


def test_estimate_records_nothing_outside_a_recording_block():
    from accordingto.attribution.confidence import _recorder

    assert _recorder.get() is None
    assert callable(estimate)

"""Calibration figures: the reliability table and ECE on hand-made numbers, and the labels."""

from __future__ import annotations

import json

import pytest

from accordingto.eval.calibration import (
    attribution_labels,
    judge_speaker,
    reliability,
    speaker_labels,
)
from accordingto.eval.polnear import GoldDocument
from accordingto.eval.scoring import Attribution, content_kind
from accordingto.model import Analysis, Article, EntityKind, Quote, QuoteKind, Span, Speaker


def test_reliability_on_hand_made_numbers():
    # bin 0.9-1.0: ten at 0.95, nine right; bin 0.1-0.2: four at 0.15, one right
    confidences = [0.95] * 10 + [0.15] * 4
    labels = [True] * 9 + [False] + [True] + [False] * 3
    r = reliability(confidences, labels)
    assert r.count == 14
    top, low = r.bins[9], r.bins[1]
    assert (top.count, top.confidence, top.accuracy) == (10, pytest.approx(0.95), 0.9)
    assert (low.count, low.confidence, low.accuracy) == (4, pytest.approx(0.15), 0.25)
    # ECE = (10 * 0.05 + 4 * 0.10) / 14
    assert r.ece == pytest.approx((10 * 0.05 + 4 * 0.10) / 14)
    assert (r.precision_at_90, r.count_at_90) == (0.9, 10)
    assert sum(b.count for b in r.bins) == 14


def test_reliability_edges_and_perfect_calibration():
    r = reliability([1.0, 0.0, 0.5, 0.5], [True, False, True, False])
    assert r.bins[9].count == 1 and r.bins[0].count == 1 and r.bins[5].count == 2
    assert r.ece == pytest.approx(0.0)
    assert reliability([], []).ece == 0.0


@pytest.mark.parametrize(("confidences", "labels"), [([0.5], []), ([1.2], [True])])
def test_reliability_refuses_bad_input(confidences, labels):
    with pytest.raises(ValueError):
        reliability(confidences, labels)


TEXT = (
    "Mayor Ana Ortiz said the bridge would be rebuilt by spring. "
    "She added that the money was there. Critics said it was too late."
)


def _at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def _gold(*attributions: tuple[str, str, str]) -> GoldDocument:
    out = []
    for source, cue, content in attributions:
        c = (_at(content),)
        out.append(Attribution((_at(source),), (_at(cue),), c, content_kind(TEXT, c)))
    return GoldDocument("doc", TEXT, tuple(out))


ORTIZ = Speaker("s_1", "Ana Ortiz", EntityKind.PERSON, None, (Span.of(TEXT, *_at("Ana Ortiz")),))
CRITICS = Speaker("s_2", "Critics", EntityKind.UNKNOWN, None, (Span.of(TEXT, *_at("Critics")),))


def _quote(source: str | None, content: str, speaker: Speaker | None) -> Quote:
    return Quote(
        id=f"q_{content}",
        kind=QuoteKind.INDIRECT,
        content=(Span.of(TEXT, *_at(content)),),
        source=Span.of(TEXT, *_at(source)) if source else None,
        speaker_id=speaker.id if speaker else None,
    )


def _analysis(*quotes: Quote) -> Analysis:
    return Analysis(Article(TEXT), quotes=quotes, speakers=(ORTIZ, CRITICS))


GOLD = _gold(
    ("Mayor Ana Ortiz", "said", "the bridge would be rebuilt by spring"),
    ("She", "added", "the money was there"),
    ("Critics", "said", "it was too late"),
)


def test_attribution_labels():
    analysis = _analysis(
        _quote("Ana Ortiz", "the bridge would be rebuilt", ORTIZ),  # right: overlap, source
        _quote("Critics", "the money was there", CRITICS),  # wrong source
        _quote(None, "it was too late", CRITICS),  # right: a mention of its speaker
        _quote("Mayor", "Mayor Ana Ortiz", ORTIZ),  # no gold words: unmatched
    )
    assert attribution_labels(GOLD, analysis) == [True, False, True, False]


def test_speaker_labels_by_name_and_by_referent():
    analysis = _analysis(
        _quote("Ana Ortiz", "the bridge would be rebuilt", ORTIZ),
        _quote("She", "the money was there", ORTIZ),
        _quote("Critics", "it was too late", None),  # no speaker: no label
    )
    referents = {("doc", *_at("She")): "Ana Ortiz"}
    assert speaker_labels(GOLD, analysis, referents) == [True, True, None]
    assert speaker_labels(GOLD, analysis, {}) == [True, None, None]
    wrong = {("doc", *_at("She")): "Bo Lind"}
    assert speaker_labels(GOLD, analysis, wrong)[1] is False


JUDGED = [
    ("Sen. Ted Cruz (R-Texas)", None, "Ted Cruz", True),
    ("the Clinton campaign", None, "Hillary Clinton", True),  # a name by the gold rule
    ("the campaign", None, "Hillary Clinton", None),  # a description: needs a referent
    ("the campaign", "the Clinton campaign", "Hillary Clinton", False),
    ("Clinton's campaign", None, "Hillary Clinton", True),  # a name: the speaker is named in it
    ("Clinton's campaign", None, "Donald Trump", False),
    ("he", "Ted Cruz", "Cruz", True),
    ("he", "Ted Cruz", "Marco Rubio", False),
    ("he", "UNRESOLVABLE", "Marco Rubio", None),
    ("he", None, "Marco Rubio", None),
]


@pytest.mark.parametrize(("written", "referent", "name", "right"), JUDGED)
def test_judge_speaker(written, referent, name, right):
    assert judge_speaker(written, referent, name, EntityKind.PERSON) is right


def test_eval_calibration_command_on_a_slice(shared_dir):
    from typer.testing import CliRunner

    from accordingto.cli.app import app

    polnear = shared_dir / "data" / "polnear"
    if not polnear.is_dir():
        pytest.skip("PolNeAR not in ../shared")
    result = CliRunner().invoke(
        app, ["eval", "calibration", str(polnear), "--limit", "2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 2
    for part in ("attribution", "speaker"):
        assert len(report[part]["bins"]) == 10
        assert 0.0 <= report[part]["ece"] <= 1.0


def test_dev_calibration_stays_under_the_ceilings(shared_dir):
    """The whole dev split (about a minute): ECE at most the ceilings in eval/floors.toml."""
    import tomllib
    from importlib import resources

    from accordingto.eval.calibration import evaluate_calibration

    polnear = shared_dir / "data" / "polnear"
    if not polnear.is_dir():
        pytest.skip("PolNeAR not in ../shared")
    raw = resources.files("accordingto.eval").joinpath("floors.toml").read_text(encoding="utf-8")
    ceilings = tomllib.loads(raw)["calibration_dev"]
    report = evaluate_calibration(polnear)
    assert report.attribution.ece <= ceilings["attribution_ece_max"]
    assert report.speaker.ece <= ceilings["speaker_ece_max"]

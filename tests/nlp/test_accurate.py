"""The accurate mode: combining the CNN's and the transformer's role spans, and choosing it."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from typer.testing import CliRunner

from accordingto.errors import InputError, ModelError
from accordingto.nlp.accurate import (
    ACCURATE_DIR,
    Strategy,
    accurate_taggers,
    averaged_tags,
    check_strategy,
    cnn_word_tags,
    combine,
    combine_spans,
    spans_from_tags,
    to_read,
)
from accordingto.nlp.load import check_model
from accordingto.nlp.tagger import MODEL_DIR, RoleSpan
from accordingto.nlp.transformer import TAGS, paragraph_tokens

TEXT = "The mayor of Springfield said on Monday that taxes would rise next year."


def span(label: str, start: int, end: int) -> RoleSpan:
    return RoleSpan(label, start, end, TEXT[start:end])


MAYOR = span("SOURCE", 0, 9)  # The mayor
MAYOR_OF = span("SOURCE", 0, 24)  # The mayor of Springfield
SAID = span("CUE", 25, 29)
THAT = span("CONTENT", 40, 72)  # that taxes would rise next year.
TAXES = span("CONTENT", 45, 72)  # taxes would rise next year.
MONDAY = span("CONTENT", 33, 39)  # Monday (a wrong guess)


@pytest.mark.parametrize(
    ("strategy", "trf", "cnn", "expected"),
    [
        ("trf", [MAYOR_OF, SAID, TAXES], [MAYOR, THAT], [MAYOR_OF, SAID, TAXES]),
        ("cnn", [MAYOR_OF, SAID, TAXES], [MAYOR, THAT], [MAYOR, THAT]),
        # the transformer's spans win; the CNN adds only what overlaps none of them
        ("union-trf", [MAYOR_OF, TAXES], [MAYOR, SAID, THAT], [MAYOR_OF, SAID, TAXES]),
        ("union-cnn", [MAYOR_OF, TAXES], [MAYOR, SAID, THAT], [MAYOR, SAID, THAT]),
        # agree: the transformer's spans that a CNN span of the same role overlaps
        ("agree", [MAYOR_OF, SAID, TAXES], [MAYOR, THAT], [MAYOR_OF, TAXES]),
        ("agree", [MAYOR_OF, SAID], [span("CUE", 0, 9)], []),  # other role: not agreement
        # per role: sources from the transformer, cues and contents from the CNN
        (
            "roles:SOURCE=trf,CUE=cnn,CONTENT=cnn",
            [MAYOR_OF, TAXES],
            [MAYOR, SAID, THAT],
            [MAYOR_OF, SAID, THAT],
        ),
        # an overlap across taggers goes to the transformer
        (
            "roles:SOURCE=cnn,CONTENT=trf",
            [MONDAY, TAXES],
            [span("SOURCE", 25, 39)],
            [MONDAY, TAXES],
        ),
        ("trf", [], [MAYOR], []),
    ],
)
def test_span_combinations(strategy, trf, cnn, expected):
    assert combine_spans(check_strategy(strategy), trf, cnn) == expected


@pytest.mark.parametrize(
    "name", ["best", "avg:2", "avg:x", "roles:SOURCE=bert", "roles:SPEAKER=trf", "roles"]
)
def test_an_unknown_combination_says_which_exist(name):
    with pytest.raises(ModelError, match="unknown combination .* use cnn, trf"):
        check_strategy(name)


def _words():
    nlp = spacy.blank("en")
    doc = nlp.make_doc(TEXT)
    (tokens,) = paragraph_tokens(doc)
    return doc, tokens


def test_cnn_spans_become_word_tags():
    doc, tokens = _words()
    tags = [TAGS[t] for t in cnn_word_tags(tokens, [MAYOR_OF, SAID])]
    assert tags[:6] == ["B-SOURCE", "I-SOURCE", "I-SOURCE", "I-SOURCE", "B-CUE", "O"]
    assert spans_from_tags(doc.text, tokens, cnn_word_tags(tokens, [MAYOR_OF, SAID, TAXES])) == [
        MAYOR_OF,
        SAID,
        TAXES,
    ]


def _confident(tags: list[str], p: float) -> np.ndarray:
    rest = (1 - p) / (len(TAGS) - 1)
    out = np.full((len(tags), len(TAGS)), rest)
    for i, tag in enumerate(tags):
        out[i, TAGS.index(tag)] = p
    return np.log(out)


@pytest.mark.parametrize(
    ("trf_p", "weight", "expected"),
    [
        (0.95, 0.5, "B-SOURCE"),  # a confident transformer outvotes the CNN
        (0.4, 0.5, "B-CUE"),  # an unsure one does not
        (0.95, 0.0, "B-SOURCE"),  # weight 0: the transformer alone
        (0.95, 1.0, "B-CUE"),  # weight 1: the CNN alone
    ],
)
def test_averaging_probabilities_before_viterbi(trf_p, weight, expected):
    trf = _confident(["B-SOURCE", "O"], trf_p)
    cnn = np.array([TAGS.index("B-CUE"), TAGS.index("O")])
    assert TAGS[averaged_tags(trf, cnn, weight)[0]] == expected


def test_averaged_tags_stay_bio_legal():
    # the CNN says I-CUE after O (never produced, but it must not leak through)
    trf = _confident(["O", "O"], 0.6)
    cnn = np.array([TAGS.index("O"), TAGS.index("I-CUE")])
    assert [TAGS[t] for t in averaged_tags(trf, cnn, 0.5)] != ["O", "I-CUE"]


@pytest.mark.parametrize("model", ["fast", "accurate", "./models/mine", "/opt/roles"])
def test_models_and_paths_are_accepted(model):
    assert check_model(model) == model


@pytest.mark.parametrize("model", ["slow", "trf", "Accurate", ""])
def test_an_unknown_model_is_an_input_error(model):
    with pytest.raises(InputError, match="unknown model .* use fast or accurate"):
        check_model(model)


def test_missing_accurate_weights_say_how_to_get_them(tmp_path):
    with pytest.raises(ModelError, match="accurate model is not installed .* reinstall"):
        accurate_taggers(str(tmp_path))


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--model", "slow"],
        ["run", "x", "--model", "bert"],
        ["eval", "polnear", "x", "--model", "large"],
    ],
)
def test_an_unknown_model_on_the_command_line_is_a_usage_error(args):
    from accordingto.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "unknown model" in result.output


def _shipped() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return (ACCURATE_DIR / "model.int8.onnx").is_file() and (MODEL_DIR / "config.cfg").is_file()


@pytest.mark.skipif(not _shipped(), reason="the accurate model or onnxruntime is not installed")
def test_the_accurate_pipeline_tags_roles_with_the_shipped_model():
    from accordingto import analyze
    from accordingto.nlp import load_pipeline

    nlp = load_pipeline(model="accurate")
    assert nlp.pipe_names[-1] == "attribution_roles_accurate"
    assert "attribution_roles_accurate" not in load_pipeline(model="fast").pipe_names
    (quote,) = analyze(TEXT, nlp=nlp).quotes
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.source is not None and quote.source.text.startswith("The mayor")
    assert "taxes would rise next year" in quote.content[0].text


def test_strategy_parts():
    assert Strategy("avg:0.25").weight == 0.25
    assert Strategy("roles:SOURCE=trf, cue=cnn").owners == {"SOURCE": "trf", "CUE": "cnn"}


TWO = "The mayor said taxes would rise.\n\nRain fell all day."


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [("avg:0.3", [True, True]), ("avg:0.3+gated", [True, False]), ("cnn", [False, False])],
)
def test_gated_strategies_read_only_paragraphs_where_the_cnn_found_a_span(strategy, expected):
    doc = spacy.blank("en").make_doc(TWO)
    groups = paragraph_tokens(doc)
    said = RoleSpan("CUE", 10, 14, "said")
    assert to_read(check_strategy(strategy), groups, [said]) == expected


def test_a_gated_paragraph_keeps_the_cnn_result_without_transformer_scores():
    doc = spacy.blank("en").make_doc(TWO)
    groups = paragraph_tokens(doc)
    said = RoleSpan("CUE", 10, 14, "said")
    # the transformer is sure of a CUE at every word of both paragraphs
    scores = [_confident(["B-CUE"] * len(g), 0.99) for g in groups]
    got = combine(check_strategy("avg:0.3+gated"), doc, groups, [scores[0], None], [said])
    assert all(r.end <= len("The mayor said taxes would rise.") for r in got)
    ungated = combine(check_strategy("avg:0.3"), doc, groups, scores, [said])
    assert any(r.text == "Rain" for r in ungated)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_thread_count_is_a_model_error(monkeypatch, value):
    from accordingto.nlp.accurate import THREADS_ENV, _threads

    monkeypatch.setenv(THREADS_ENV, value)
    with pytest.raises(ModelError, match="give a number of threads"):
        _threads()


def test_the_other_members_read_only_where_the_first_disagrees_with_the_cnn():
    import json

    from accordingto.nlp.accurate import disagrees, ensemble_scores
    from accordingto.nlp.transformer import mean_scores, member_files

    members = member_files(ACCURATE_DIR)
    assert len(members) == 2  # two models trained apart (docs/model.md)
    assert json.loads((ACCURATE_DIR / "meta.json").read_text())["members"] == members
    first, second = accurate_taggers(str(ACCURATE_DIR))
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    tokens = [t for t in doc if not t.is_space]
    words = [t.text for t in tokens]
    one, two = first.word_scores(words), second.word_scores(words)
    assert not np.allclose(one, two)  # the members differ
    agreeing = spans_from_tags(TEXT, tokens, list(one.argmax(axis=1)))  # the CNN says the same
    assert not disagrees(one, cnn_word_tags(tokens, agreeing))
    (alone,) = ensemble_scores((first, second), [tokens], agreeing)
    np.testing.assert_array_equal(alone, one)
    assert disagrees(one, cnn_word_tags(tokens, []))  # the first finds roles the CNN did not
    (both,) = ensemble_scores((first, second), [tokens], [])
    np.testing.assert_allclose(both, mean_scores([one, two]), rtol=1e-6)
    np.testing.assert_allclose(np.exp(both), (np.exp(one) + np.exp(two)) / 2, rtol=1e-5, atol=1e-7)

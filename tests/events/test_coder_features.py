"""The coder's features: marked text, the words between the actors, TF-IDF as scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest

from accordingto.events.coder_features import Tfidf, between, marked_text, syntax_text, term_hash

TEXTS = [
    "Rebel fighters shelled an army base near the border.",
    "Canada  sent food aid to refugees in Sudan, officials said.",
    "The prime minister met the Indian foreign minister in Delhi.",
    "The opposition accused the ruling party of vote rigging!",
    "A",
]


def test_marked_text() -> None:
    text = "Canada sent aid to Sudan."
    assert marked_text(text, (0, 6), (19, 24)).split() == [
        "srcb", "Canada", "srce", "sent", "aid", "to", "tgtb", "Sudan", "tgte", ".",
    ]  # fmt: skip
    assert marked_text(text, None, (19, 24)).split()[:1] == ["Canada"]
    assert marked_text(text, None, None) == text


def test_between() -> None:
    text = "Canada sent aid to Sudan."
    assert between(text, (0, 6), (19, 24)).strip() == "sent aid to"
    assert between(text, (19, 24), (0, 6)).strip() == "sent aid to"  # target first
    assert between(text, (0, 6), None) == ""
    assert between(text, (0, 10), (5, 12)) == ""  # overlapping actors


@pytest.mark.parametrize(
    ("analyzer", "ngrams"), [("word", (1, 2)), ("char_wb", (2, 5)), ("char_wb", (3, 3))]
)
def test_tfidf_is_scikit_learns(analyzer: str, ngrams: tuple[int, int]) -> None:
    text_mod = pytest.importorskip("sklearn.feature_extraction.text")
    kwargs = {"token_pattern": r"(?u)\b\w+\b"} if analyzer == "word" else {}
    fitted = text_mod.TfidfVectorizer(
        analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, **kwargs
    ).fit(TEXTS[:3])
    ours = Tfidf(analyzer, ngrams, dict(fitted.vocabulary_), fitted.idf_)
    stored = Tfidf.from_dict(ours.to_dict())  # hashed n-grams, as shipped
    expected = fitted.transform(TEXTS).toarray()
    for tfidf in (ours, stored):
        got = np.zeros_like(expected)
        for row, (index, values) in enumerate(tfidf.transform(TEXTS)):
            got[row, index] = values
        assert np.allclose(got, expected, atol=1e-6)


def test_a_stored_vocabulary_holds_no_text() -> None:
    tfidf = Tfidf("word", (1, 1), {"shelled": 0, "base": 1}, np.array([1.5, 2.0]))
    data = tfidf.to_dict()
    assert "shelled" not in str(data)
    assert data["hashes"] == [f"{term_hash('shelled'):016x}", f"{term_hash('base'):016x}"]
    assert term_hash("shelled") == term_hash("shelled") != term_hash("Shelled")


def test_unknown_analyzer() -> None:
    with pytest.raises(ValueError, match="analyzer"):
        Tfidf("chars", (1, 1), {}, np.zeros(0)).ngrams("x")


@pytest.mark.parametrize(
    ("text", "source", "target", "expected", "absent"),
    [
        (
            "North Korea will not attack South Korea.",
            "North Korea",
            "South Korea",
            {"lca_attack", "lcaaux_will", "lcaneg", "sdep_nsubj", "tdep_dobj"},
            set(),
        ),
        (
            "The union agreed to meet the employers on Monday.",
            "The union",
            "the employers",
            {"lca_agree", "lcacomp_meet", "lca_agree_meet", "tp_meet"},
            {"lcaneg"},
        ),
        # Only one actor: no meeting verb, but the actor's head and the root.
        (
            "Protesters marched through the capital.",
            "Protesters",
            None,
            {"sh_march"},
            {"lca_march"},
        ),
    ],
)
def test_syntax_text(
    text: str, source: str, target: str | None, expected: set[str], absent: set[str]
) -> None:
    from accordingto.nlp.load import load_base_pipeline

    def span(words: str | None) -> tuple[int, int] | None:
        return None if words is None else (text.index(words), text.index(words) + len(words))

    features = set(syntax_text(load_base_pipeline()(text), span(source), span(target)).split())
    assert expected <= features
    assert not absent & features

"""The transformer tagger's decoding: BIO tags, Viterbi, windows (numpy only, no model)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import spacy

from accordingto.nlp.transformer import (
    TAGS,
    Window,
    allowed_transitions,
    best_window_scores,
    paragraph_tokens,
    tag_spans,
    viterbi,
    window_ids,
    word_windows,
)


def _legal(path: list[int]) -> bool:
    start, step = allowed_transitions()
    return bool(start[path[0]]) and all(step[a, b] for a, b in itertools.pairwise(path))


def _scores(*rows: dict[str, float]) -> np.ndarray:
    """Log-probabilities from rows of {tag: probability}; unnamed tags share the rest."""
    out = np.zeros((len(rows), len(TAGS)))
    for i, row in enumerate(rows):
        rest = (1 - sum(row.values())) / (len(TAGS) - len(row))
        out[i] = [row.get(tag, rest) for tag in TAGS]
    return np.log(out)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # greedy would start with I-CUE: Viterbi opens the span with B-CUE instead
        ([{"I-CUE": 0.6, "B-CUE": 0.3}], ["B-CUE"]),
        # "the mayor": B-SOURCE then a confident I-SOURCE stays one span
        ([{"B-SOURCE": 0.9}, {"I-SOURCE": 0.9}], ["B-SOURCE", "I-SOURCE"]),
        # greedy B-SOURCE, I-CUE is illegal: the cue must be opened
        ([{"B-SOURCE": 0.9}, {"I-CUE": 0.5, "B-CUE": 0.4}], ["B-SOURCE", "B-CUE"]),
        # an O between two halves: greedy O, I-CONTENT is illegal
        (
            [{"B-CONTENT": 0.9}, {"O": 0.5, "I-CONTENT": 0.45}, {"I-CONTENT": 0.9}],
            ["B-CONTENT", "I-CONTENT", "I-CONTENT"],
        ),
        # plain words stay outside
        ([{"O": 0.9}, {"O": 0.9}], ["O", "O"]),
    ],
)
def test_viterbi_table(rows, expected):
    assert [TAGS[t] for t in viterbi(_scores(*rows))] == expected


def test_viterbi_never_illegal_and_optimal():
    rng = np.random.default_rng(0)
    start, step = allowed_transitions()
    for length in (1, 2, 3, 4):
        for _ in range(20):
            scores = np.log(rng.dirichlet(np.ones(len(TAGS)) * 0.3, size=length))
            path = viterbi(scores)
            assert _legal(path)
            best = max(
                sum(scores[i, t] for i, t in enumerate(p))
                for p in itertools.product(range(len(TAGS)), repeat=length)
                if _legal(list(p))
            )
            assert sum(scores[i, t] for i, t in enumerate(path)) == pytest.approx(best)


def test_viterbi_empty():
    assert viterbi(np.zeros((0, len(TAGS)))) == []


def test_transitions():
    start, step = allowed_transitions()
    i = TAGS.index
    assert not start[i("I-CUE")] and start[i("B-CUE")] and start[i("O")]
    assert step[i("B-CUE"), i("I-CUE")] and step[i("I-CUE"), i("I-CUE")]
    assert not step[i("O"), i("I-CUE")] and not step[i("I-SOURCE"), i("I-CUE")]
    assert step[i("I-SOURCE"), i("B-SOURCE")]  # two spans side by side


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-SOURCE", "I-SOURCE", "O", "B-CUE"], [("SOURCE", 0, 2), ("CUE", 3, 4)]),
        (["B-CONTENT", "B-CONTENT"], [("CONTENT", 0, 1), ("CONTENT", 1, 2)]),
        (["O", "I-CUE", "I-CUE"], [("CUE", 1, 3)]),  # gold may hold a stray I-
        (["B-SOURCE", "I-CUE"], [("SOURCE", 0, 1), ("CUE", 1, 2)]),
        (["O", "O"], []),
        ([], []),
    ],
)
def test_tag_spans(tags, spans):
    assert tag_spans(tags) == spans
    assert tag_spans([TAGS.index(t) for t in tags]) == spans


@pytest.mark.parametrize(
    ("counts", "max_pieces", "overlap"),
    [
        ([1] * 10, 4, 2),
        ([2, 1, 3, 1, 1, 4, 1], 5, 2),
        ([1] * 300, 254, 64),
        ([9, 1, 1], 4, 2),  # a word longer than a window gets a window of its own
    ],
)
def test_word_windows_cover_and_fit(counts, max_pieces, overlap):
    windows = word_windows(counts, max_pieces, overlap)
    covered = set()
    for w in windows:
        assert w.end > w.start
        assert sum(counts[w.start : w.end]) <= max_pieces or w.end - w.start == 1
        covered |= set(range(w.start, w.end))
    assert covered == set(range(len(counts)))
    assert windows[0].start == 0 and windows[-1].end == len(counts)
    assert all(b.start > a.start and b.start <= a.end for a, b in itertools.pairwise(windows))


def test_word_windows_short_paragraph_is_one_window():
    assert word_windows([1, 2, 1], 254, 64) == [Window(0, 3)]
    assert word_windows([], 254, 64) == []


def test_window_ids_marks_first_pieces():
    pieces = [[10], [11, 12], [13]]
    ids, first = window_ids(pieces, Window(1, 3), cls_id=2, sep_id=3)
    assert ids == [2, 11, 12, 13, 3]
    assert first == [1, 3]


def test_best_window_scores_prefers_context():
    windows = [Window(0, 6), Window(3, 10)]
    a = np.full((6, len(TAGS)), 1.0)
    b = np.full((7, len(TAGS)), 2.0)
    out = best_window_scores(10, windows, [a, b])
    # words 0-3 are better read in the first window (it starts at the paragraph's start);
    # word 4 has one word of context in either (a tie keeps the first); word 5 ends the
    # first window, so the second gives it more context, as for every later word
    assert out[:, 0].tolist() == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]


def test_paragraph_tokens_split_at_blank_lines():
    nlp = spacy.blank("en")
    doc = nlp("The mayor said so.\n\nOfficials  disagreed.\nThey said no.")
    groups = [[t.text for t in g] for g in paragraph_tokens(doc)]
    assert groups == [
        ["The", "mayor", "said", "so", "."],
        ["Officials", "disagreed", ".", "They", "said", "no", "."],
    ]

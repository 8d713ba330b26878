"""Span scoring: matching, exact and overlap per role, per kind, and the kind of a content."""

from __future__ import annotations

import pytest
from rich.console import Console

from accordingto.eval.scoring import (
    Attribution,
    Counts,
    Report,
    attributions_from_analysis,
    content_kind,
    score,
    score_document,
)
from accordingto.model import Analysis, Article, Quote, QuoteKind, Span

TEXT = 'Smith said the economy is strong. "We will win," Jones said, "and soon." Brown added that taxes will rise.'


def at(piece: str, nth: int = 0, *, text: str = TEXT) -> tuple[int, int]:
    """The range of the ``nth`` occurrence of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def shift(r: tuple[int, int], left: int = 0, right: int = 0) -> tuple[int, int]:
    return r[0] + left, r[1] + right


SMITH = Attribution(
    source=(at("Smith"),), cue=(at("said"),), content=(at("the economy is strong"),)
)
JONES = Attribution(
    source=(at("Jones"),),
    cue=(at("said", 1),),
    content=(at('"We will win,"'), at('"and soon."')),
    kind="direct",
)
BROWN = Attribution(
    source=(at("Brown"),), cue=(at("added"),), content=(at("that taxes will rise"),)
)


def roles(pred: Attribution, gold: Attribution, text: str = TEXT) -> tuple[set[str], set[str]]:
    """The roles that count as exact and as overlap hits for one gold and one prediction."""
    report = score([[gold]], [[pred]], [text])
    exact = {r for r in ("source", "cue", "content") if report.get(r, "exact").matched}
    overlap = {r for r in ("source", "cue", "content") if report.get(r, "overlap").matched}
    return exact, overlap


ALL_ROLES = {"source", "cue", "content"}

ROLE_CASES = [
    # (name, gold, prediction, exact roles, overlap roles)
    ("identical", SMITH, SMITH, ALL_ROLES, ALL_ROLES),
    (
        "content one character short",
        SMITH,
        Attribution(SMITH.source, SMITH.cue, (shift(SMITH.content[0], 0, -1),)),
        {"source", "cue"},
        ALL_ROLES,
    ),
    (
        "content one character too long",
        SMITH,
        Attribution(SMITH.source, SMITH.cue, (shift(SMITH.content[0], 0, 1),)),
        {"source", "cue"},
        ALL_ROLES,
    ),
    (
        "surrounding whitespace is ignored",
        SMITH,
        Attribution((at("Smith "),), SMITH.cue, (at(" the economy is strong"),)),
        ALL_ROLES,
        ALL_ROLES,
    ),
    (
        "wrong source, same content",
        SMITH,
        Attribution((at("Jones"),), SMITH.cue, SMITH.content),
        {"cue", "content"},
        {"cue", "content"},
    ),
    (
        "source partly right",
        Attribution((at("Smith said"),), (), SMITH.content),
        Attribution((at("Smith"),), (), SMITH.content),
        {"content"},
        {"source", "content"},
    ),
    (
        "missing source and cue",
        SMITH,
        Attribution((), (), SMITH.content),
        {"content"},
        {"content"},
    ),
    (
        "discontinuous content as one span over the cue",
        JONES,
        Attribution(
            JONES.source, JONES.cue, ((JONES.content[0][0], JONES.content[1][1]),), "direct"
        ),
        {"source", "cue"},
        ALL_ROLES,
    ),
    (
        "discontinuous content with one piece missing",
        JONES,
        Attribution(JONES.source, JONES.cue, JONES.content[:1], "direct"),
        {"source", "cue"},
        ALL_ROLES,
    ),
    (
        "discontinuous pieces in another order",
        JONES,
        Attribution(JONES.source, JONES.cue, JONES.content[::-1], "direct"),
        ALL_ROLES,
        ALL_ROLES,
    ),
    (
        "adjacent pieces equal one span",
        SMITH,
        Attribution(SMITH.source, SMITH.cue, (at("the economy"), at(" is strong"))),
        ALL_ROLES,
        ALL_ROLES,
    ),
]


@pytest.mark.parametrize(
    ("gold", "pred", "exact", "overlap"),
    [case[1:] for case in ROLE_CASES],
    ids=[case[0] for case in ROLE_CASES],
)
def test_role_comparison(
    gold: Attribution, pred: Attribution, exact: set[str], overlap: set[str]
) -> None:
    assert roles(pred, gold) == (exact, overlap)


def test_role_denominators_count_attributions_that_have_the_role() -> None:
    report = score([[SMITH, BROWN]], [[Attribution((), (), SMITH.content)]], [TEXT])
    assert report.get("source") == Counts(matched=0, predicted=0, gold=2)
    assert report.get("content") == Counts(matched=1, predicted=1, gold=2)
    assert report.get("attribution") == Counts(matched=1, predicted=1, gold=2)


def test_a_whitespace_only_span_is_no_role() -> None:
    space = at(" ")
    report = score([[SMITH]], [[Attribution((space,), (), SMITH.content)]], [TEXT])
    assert report.get("source").predicted == 0


MATCH_CASES = [
    # (name, gold, predictions, expected pairs as (gold index, prediction index))
    ("exact match", [SMITH], [SMITH], [(0, 0)]),
    ("no shared content, different cue", [SMITH], [BROWN], []),
    (
        "no shared content but the same cue",
        [SMITH],
        [Attribution((), SMITH.cue, (at("Jones"),))],
        [(0, 0)],
    ),
    (
        "one to one: the larger overlap takes the gold",
        [SMITH],
        [
            Attribution((), (), (at("the economy"),)),
            Attribution((), (), (at("the economy is"),)),
        ],
        [(0, 1)],
    ),
    (
        "best first, not first come",
        [Attribution((), (), (at("the economy"),)), Attribution((), (), (at("is strong"),))],
        [Attribution((), (), (at("economy is strong"),)), Attribution((), (), (at("the"),))],
        [(0, 1), (1, 0)],
    ),
    (
        "equal overlaps: the closer start wins",
        [Attribution((), (), (at("Smith said the"),)), Attribution((), (), (at("the economy"),))],
        [Attribution((), (), (at("the"),))],
        [(1, 0)],
    ),
    ("two gold, two predictions", [SMITH, BROWN], [BROWN, SMITH], [(0, 1), (1, 0)]),
]


@pytest.mark.parametrize(
    ("gold", "predicted", "pairs"),
    [case[1:] for case in MATCH_CASES],
    ids=[case[0] for case in MATCH_CASES],
)
def test_matching(
    gold: list[Attribution], predicted: list[Attribution], pairs: list[tuple[int, int]]
) -> None:
    document = score_document(gold, predicted, TEXT)
    assert [(p.gold, p.predicted) for p in document.pairs] == pairs


def test_two_predictions_cannot_both_match_one_gold() -> None:
    report = score([[SMITH]], [[SMITH, SMITH]], [TEXT])
    assert report.get("content") == Counts(matched=1, predicted=2, gold=1)
    assert len(report.documents[0].false_positives) == 1
    assert report.documents[0].false_negatives == ()


def test_counts_sum_over_documents() -> None:
    report = score([[SMITH], [BROWN]], [[SMITH], []], [TEXT, TEXT], names=["a", "b"])
    assert report.get("cue") == Counts(matched=1, predicted=1, gold=2)
    assert [d.name for d in report.documents] == ["a", "b"]
    assert report.documents[1].false_negatives == (BROWN,)


def test_per_kind_recall_by_gold_and_precision_by_matched_gold() -> None:
    labelled_indirect = Attribution(JONES.source, JONES.cue, JONES.content, "indirect")
    spurious_mixed = Attribution((), (), (at("Brown added"),), "mixed")
    report = score([[JONES, SMITH]], [[labelled_indirect, spurious_mixed]], [TEXT])
    assert report.get("content", kind="direct") == Counts(matched=1, predicted=1, gold=1)
    assert report.get("content", kind="indirect") == Counts(matched=0, predicted=0, gold=1)
    assert report.get("content", kind="mixed") == Counts(matched=0, predicted=1, gold=0)
    assert report.get("attribution", kind="mixed") == Counts(matched=0, predicted=1, gold=0)


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError, match="one item per document"):
        score([[SMITH]], [], [TEXT])


@pytest.mark.parametrize(
    ("counts", "p", "r", "f1"),
    [
        (Counts(0, 0, 0), 0.0, 0.0, 0.0),
        (Counts(1, 2, 4), 0.5, 0.25, 1 / 3),
        (Counts(3, 3, 3), 1.0, 1.0, 1.0),
    ],
)
def test_precision_recall_f1(counts: Counts, p: float, r: float, f1: float) -> None:
    assert (counts.precision, counts.recall, counts.f1) == pytest.approx((p, r, f1))


def test_report_dict_and_table() -> None:
    report = score([[SMITH, JONES]], [[SMITH]], [TEXT])
    data = report.to_dict()
    assert data["documents"] == 1
    assert data["all"]["content"]["exact"] == {
        "precision": 1.0, "recall": 0.5, "f1": 0.6667, "matched": 1, "predicted": 1, "gold": 2,
    }  # fmt: skip
    assert set(data) == {"documents", "all", "direct", "indirect", "mixed"}
    console = Console(record=True, width=120)
    console.print(report.to_table())
    rendered = console.export_text()
    assert "overlap" in rendered and "indirect" in rendered and "0.667" in rendered


def test_errors_record_lists_misses_and_partial_pairs() -> None:
    partial = Attribution((at("Jones"),), SMITH.cue, SMITH.content)
    errors = score([[SMITH, BROWN]], [[partial]], [TEXT]).documents[0].errors()
    assert errors["false_negatives"][0]["source_text"] == "Brown"
    assert errors["false_positives"] == []
    assert errors["partial"][0]["not_exact"] == ["source"]


def test_empty_report() -> None:
    assert Report({}).get("content").f1 == 0.0


def test_attribution_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind"):
        Attribution(kind="quoted")


def test_attributions_from_analysis() -> None:
    content = (Span.of(TEXT, *at('"We will win,"')), Span.of(TEXT, *at('"and soon."')))
    quotes = (
        Quote("q1", QuoteKind.DIRECT, content, Span.of(TEXT, *at("said", 1)), Span.of(TEXT, *at("Jones"))),
        Quote("q2", QuoteKind.INDIRECT, (Span.of(TEXT, *at("the economy is strong")),)),
    )  # fmt: skip
    analysis = Analysis(Article(TEXT), quotes=quotes)
    assert attributions_from_analysis(analysis) == [
        JONES,
        Attribution((), (), (at("the economy is strong"),), "indirect"),
    ]


KIND_CASES = [
    # (text, content piece(s), kind)
    ('"We will win," Jones said.', ['"We will win,"'], "direct"),
    ("“We will win,” Jones said.", ["“We will win,”"], "direct"),
    ("“We will win,” Jones said.", ["We will win,"], "direct"),
    ("“We will win,” she said. “Soon.”", ["“We will win,”", "“Soon.”"], "direct"),
    ("''We will win,'' he said.", ["''We will win,''"], "direct"),
    ("‘We will win’", ["‘We will win’"], "direct"),
    ("“He said ‘no.’” she said", ["“He said ‘no.’”"], "direct"),
    ("“I was seventeen.\n\n“I left.”", ["“I was seventeen."], "direct"),
    ("He said the plan was “a disaster.”", ["the plan was “a disaster.”"], "mixed"),
    ("“A” and “B”, he said", ["“A” and “B”"], "mixed"),
    ("“We will win,” and soon", ["“We will win,” and soon"], "mixed"),
    ("“We will win,” Jones said.", ["“We will win,”", "Jones"], "mixed"),
    ("He said the plan was a disaster.", ["the plan was a disaster"], "indirect"),
    ("Clinton’s plan is bad, he said.", ["Clinton’s plan is bad"], "indirect"),
    ("He doesn't like Sanders’ plan.", ["He doesn't like Sanders’ plan"], "indirect"),
    ("He said ―we will win― today", ["―we will win―"], "indirect"),
    ('"Yes," he said, and then left.', ["and then left"], "indirect"),
    ('He said "yes" then left', ["then left"], "indirect"),
]


@pytest.mark.parametrize(("text", "pieces", "kind"), KIND_CASES)
def test_content_kind(text: str, pieces: list[str], kind: str) -> None:
    content = tuple(at(piece, text=text) for piece in pieces)
    assert content_kind(text, content) == kind


def test_content_kind_of_nothing_is_indirect() -> None:
    assert content_kind(TEXT, ()) == "indirect"

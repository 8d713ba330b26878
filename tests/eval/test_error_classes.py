"""Error classes: one row per class, built from a hand-made document."""

import pytest

from accordingto.eval.errors import error_classes
from accordingto.eval.scoring import Attribution, score

TEXT = "Mayor Ana Ortiz said that the bridge will close. Traffic was heavy."
SRC, CUE, CONTENT = ((0, 15),), ((16, 20),), ((21, 47),)
GOLD = Attribution(source=SRC, cue=CUE, content=CONTENT, kind="indirect")

CASES = [
    (Attribution(source=SRC, cue=CUE, content=CONTENT, kind="indirect"), {}),
    (
        Attribution(source=((6, 15),), cue=CUE, content=CONTENT, kind="indirect"),
        {"source-boundary": 1},
    ),
    (
        Attribution(source=((49, 56),), cue=CUE, content=CONTENT, kind="indirect"),
        {"source-wrong": 1},
    ),
    (Attribution(cue=CUE, content=CONTENT, kind="indirect"), {"source-missing": 1}),
    (
        Attribution(source=SRC, cue=CUE, content=((26, 47),), kind="indirect"),
        {"content-boundary": 1},
    ),
    (
        Attribution(source=((49, 56),), cue=((57, 60),), content=((61, 66),), kind="indirect"),
        {"missed (indirect)": 1, "spurious (indirect)": 1},
    ),
]


@pytest.mark.parametrize(("predicted", "expected"), CASES)
def test_error_class(predicted, expected):
    report = score([[GOLD]], [[predicted]], [TEXT])
    assert dict(error_classes(report)) == expected

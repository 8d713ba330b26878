"""Speaker-resolution scoring lists its misses (for error analysis)."""

import accordingto
from accordingto.eval.speakers import GoldSpeaker, Miss, score_resolution
from accordingto.nlp import load_pipeline

TEXT = "Tom Hale met Maria Lopez on Monday.\n\n“It is over,” she said. “It is not,” he said."


def test_misses_are_listed_and_hits_are_not():
    a = accordingto.analyze(TEXT, nlp=load_pipeline(tagger=False), events=False)
    she, he = TEXT.index("she said"), TEXT.index(" he said") + 1
    items = [
        GoldSpeaker("doc", she, she + 3, "she", "Maria Lopez", "person"),
        GoldSpeaker("doc", he, he + 2, "he", "Someone Else", "person"),
    ]
    score = score_resolution(items, [("doc", a)])
    assert (score.correct, score.found) == (1, 2)
    assert score.misses == (Miss("doc", he, "he", "Someone Else", "Tom Hale"),)
    assert score.to_dict()["misses"][0]["predicted"] == "Tom Hale"

"""English or not: short reported speech is English; short German, French, Spanish, Dutch,
Italian and Portuguese texts are not, even with the words they share with English."""

import pytest

from accordingto.ingest.language import guess_language

ORTIZ = "“We will rebuild,” said Mayor Ana Ortiz. “Ok,” he added."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (" ".join([ORTIZ] * 3), "en"),
        (
            "“We will not leave,” he said. “We will stay until the water goes down and the "
            "roads are open again,” said Tom Reyes.",
            "en",
        ),
        (
            "He said the council would vote on Monday. We asked whether it will raise taxes; "
            "he would not say it again.",
            "en",
        ),
        # German with "will" and "er"
        (
            "„Wir werden es wieder aufbauen“, sagte Bürgermeisterin Ana Ortiz. Er will nicht "
            "warten, und er sagte, dass die Stadt bereit ist.",
            "und",
        ),
        # French
        (
            "« Nous allons reconstruire », a déclaré la maire Ana Ortiz. Il a ajouté que la ville "
            "est prête et que les travaux commencent demain.",
            "und",
        ),
        # Spanish with "he"
        (
            "«Lo reconstruiremos», dijo la alcaldesa Ana Ortiz. He dicho que la ciudad está "
            "preparada y que las obras empiezan mañana por la mañana.",
            "und",
        ),
        # Dutch with "we"
        (
            "„We zullen het herbouwen”, zei burgemeester Ana Ortiz. We zijn er klaar voor en de "
            "werken beginnen morgen, zei hij tegen de pers.",
            "und",
        ),
        # Italian and Portuguese
        (
            "«Lo ricostruiremo», ha detto la sindaca Ana Ortiz. Ha aggiunto che la città è pronta "
            "e che i lavori cominciano domani nella zona del porto.",
            "und",
        ),
        (
            "“Vamos reconstruir”, disse a prefeita Ana Ortiz. Ela disse que a cidade está pronta e "
            "que as obras começam amanhã, mas não deu mais detalhes.",
            "und",
        ),
    ],
)
def test_short_texts(text: str, language: str) -> None:
    assert guess_language(text) == language


def test_short_english_speech_is_analyzed() -> None:
    """It was judged not English and analyzed to nothing."""
    import accordingto
    from accordingto.model import Article

    text = " ".join([ORTIZ] * 3)
    analysis = accordingto.analyze(Article(text=text, language=guess_language(text)))
    assert analysis.quotes
    assert not [d for d in analysis.diagnostics if d.code == "not-english"]

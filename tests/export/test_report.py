"""The terminal report and query tables never pass escape sequences from the input to the terminal."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from accordingto.export import render_report
from accordingto.export.terminal import printable
from accordingto.model import (
    Analysis,
    Article,
    Diagnostic,
    EntityKind,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    Span,
    Speaker,
)

OSC_TITLE = "\x1b]0;owned\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
CSI_CLEAR = "\x1b[2J\x1b[H"
C1_CSI = "\x9b31m"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"Kyiv{OSC_TITLE} said", "Kyiv said"),
        (f"copy{OSC_CLIPBOARD} me", "copy me"),
        (f"{CSI_CLEAR}clean", "clean"),
        (f"red{C1_CSI}text", "redtext"),
        ("bell\x07 and\r back\x08space\x00", "bell and backspace"),
        ("title\x1b]2;x\x1b\\ST-terminated", "titleST-terminated"),
        ("lone\x1b", "lone"),
        # negative cases: ordinary text, tabs, newlines and non-Latin scripts stay as they are
        (
            "“We won’t stop,” said Šťepka.\n\tNext line",
            "“We won’t stop,” said Šťepka.\n\tNext line",
        ),
        ("Зеленський сказав: «Ні»", "Зеленський сказав: «Ні»"),
        ("[bold]not markup[/bold]", "[bold]not markup[/bold]"),
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown


def _hostile() -> Analysis:
    said = f"“We will hold{OSC_TITLE} the line,”"
    text = f"Front{CSI_CLEAR} news\n\n{said} said Gen{OSC_CLIPBOARD}. Ada Roe, the {C1_CSI}chief."
    article = Article(text=text, title=f"Front{OSC_TITLE} page", url="https://example.org/x")
    start = text.index("We will")
    content = Span.of(text, start, start + len("We will hold") + len(OSC_TITLE) + 9)
    who_at = text.index("Gen")
    who = Span.of(text, who_at, text.index(" Ada") + 8)
    speaker = Speaker("s_1", who.text, EntityKind.PERSON, f"the {C1_CSI}chief", (who,))
    quote = Quote(
        id="q_1",
        kind=QuoteKind.DIRECT,
        content=(content,),
        cue=Span.of(text, text.index("said"), text.index("said") + 4),
        source=who,
        speaker_id="s_1",
        via=("s_missing",),  # a chain through a speaker the record lacks: shown, not a crash
        confidence=0.9,
    )
    mark = Mark(MarkKind.SCARE, Span.of(text, 0, 5 + len(CSI_CLEAR)))
    diag = Diagnostic("unpaired-mark", f"odd{OSC_TITLE} mark", None)
    return Analysis(article, (quote,), (speaker,), (mark,), (diag,), {"accordingto": "test"})


def test_report_strips_escape_sequences_from_every_string():
    out = io.StringIO()
    Console(file=out, width=200, color_system=None, force_terminal=False).print(
        render_report(_hostile())
    )
    shown = out.getvalue()
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    for words in ("Front page", "We will hold the line", "Ada Roe", "the chief", "odd mark"):
        assert words in shown
    assert "unknown source" in shown


def test_json_escapes_every_control_character_and_keeps_the_data():
    import json

    from accordingto.export import to_json, to_jsonl_line

    analysis = _hostile()
    for text in (to_json([analysis]), to_jsonl_line(analysis)):
        assert not any(c in text for c in ("\x1b", "\x07", "\x9b", "\x9d"))
        assert json.loads(text)["article"]["text"] == analysis.article.text
    assert "Šťepka" in to_json([Analysis(Article("“No,” said Šťepka."))])  # not \\u escapes

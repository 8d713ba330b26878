"""Events are on by default and can be switched off (issue 13: a switch, on for single articles)."""

from __future__ import annotations

import accordingto
from accordingto.cli import main

TEXT = "Russian forces shelled the city of Kharkiv on Tuesday, officials said."


def test_events_are_found_by_default_and_not_when_switched_off():
    assert accordingto.analyze(TEXT).events
    off = accordingto.analyze(TEXT, events=False)
    assert off.events == ()
    assert off.quotes == accordingto.analyze(TEXT).quotes  # the rest is the same


def test_the_cli_switch(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert main(["analyze", str(article), "--format", "json", "--no-events"]) == 0
    assert '"events": []' in capsys.readouterr().out
    assert main(["analyze", str(article), "--format", "json"]) == 0
    assert '"events": []' not in capsys.readouterr().out

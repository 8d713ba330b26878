"""``accordingto analyze --only / --min-confidence`` in every format, and the report's sections
(issue 12).  Texts are written for these tests."""

from __future__ import annotations

import json

import pytest

from accordingto.cli import main

TEXT = (
    "“We will open the ferry terminal on Monday,” said Harbour Master Lena Voss.\n\n"
    "Voss believes that the islanders will use it every day.\n"
)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "ferry.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _kinds(out: str) -> list[str]:
    return [q["reported_as"] for q in json.loads(out)["quotes"]]


@pytest.mark.parametrize(
    ("args", "kinds"),
    [
        ([], ["speech", "thought"]),
        (["--only", "speech"], ["speech"]),
        (["--only", "thought"], ["thought"]),
        (["--only", "Speech,THOUGHT"], ["speech", "thought"]),
        (["--only", "action"], []),
        (["--min-confidence", "1"], []),
        (["--min-confidence", "0"], ["speech", "thought"]),
    ],
)
def test_jsonl_keeps_what_is_asked_for(article, capsys, args, kinds):
    assert main(["analyze", str(article), "--format", "jsonl", "--no-events", *args]) == 0
    assert _kinds(capsys.readouterr().out) == kinds


def test_json_document_too(article, capsys):
    assert main(["analyze", str(article), "-f", "json", "--only", "speech", "--no-events"]) == 0
    analysis = json.loads(capsys.readouterr().out)
    assert [q["reported_as"] for q in analysis["quotes"]] == ["speech"]
    assert [s["name"] for s in analysis["speakers"]] == ["Lena Voss"]  # speakers kept


def test_report_shows_speech_first_and_thought_apart(article, capsys):
    assert main(["analyze", str(article), "--no-events"]) == 0
    out = capsys.readouterr().out
    assert out.index("Speech — 1") < out.index("We will open") < out.index("Reported as thought")
    assert out.index("Reported as thought (not speech) — 1") < out.index("islanders will use")
    assert "confidence 0." in out


def test_report_with_only_speech_says_what_it_left_out(article, capsys):
    assert main(["analyze", str(article), "--only", "speech", "--no-events"]) == 0
    out = capsys.readouterr().out
    assert "1 of 2 attribution(s) left out by --only speech" in out
    assert "islanders" not in out and "We will open" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "gossip"], "Invalid value for '--only': 'gossip' is not a kind of attribution"),
        (["--only", "speech,rumour"], "'rumour' is not a kind of attribution"),
        (["--only", ""], "no kind given"),
        (["--min-confidence", "2"], "Invalid value for '--min-confidence': 2 is not a probability"),
        (["--min-confidence", "-1"], "-1 is not a probability"),
        (["--min-confidence", "nan"], "nan is not a probability"),
        (["--min-confidence", "high"], "Invalid value for '--min-confidence'"),
    ],
)
def test_bad_values_are_one_line_and_exit_2(article, capsys, args, message):
    assert main(["analyze", str(article), *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and captured.out == ""


@pytest.mark.parametrize("command", ["analyze", "run", "quotes", "speakers", "search"])
def test_help_documents_the_options(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "--only KIND[,KIND]" in out and "--min-confidence P" in out

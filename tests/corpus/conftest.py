"""A small synthetic corpus written by the tests (no third-party text)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

NAMES = ["Anna Holt", "Tom Baker", "Maria Lopez", "Ken Osei", "Lena Varga", "Omar Haddad"]
ROLES = ["Mayor", "Professor", "Minister", "analyst", "spokeswoman", "engineer"]
TOPICS = ["the bridge", "the budget", "the ceasefire", "the election", "the flood", "the vaccine"]
OUTLETS = ["Example Times", "Other Daily", "Riverton Gazette"]


def article_text(i: int) -> str:
    rng = random.Random(i)
    name, role, topic = rng.choice(NAMES), rng.choice(ROLES), rng.choice(TOPICS)
    surname = name.split()[1]
    return (
        f"“We will not give up on {topic},” said {role} {name} on day {i}.\n\n"
        f"{surname} added that the plan for {topic} was “ambitious but fair”. "
        f"“Nobody expected this,” an official said, according to Reuters.\n\n"
        f"Critics said {topic} had cost {i * 7} million so far."
    )


def write_corpus(root: Path, n: int = 40) -> Path:
    """``n`` articles as files and JSONL lines, plus duplicates and bad documents."""
    root.mkdir(parents=True, exist_ok=True)
    files = root / "files"
    files.mkdir(exist_ok=True)
    for i in range(n // 2):
        (files / f"{i:03d}.txt").write_text(article_text(i), encoding="utf-8")
    (files / "copy-of-000.txt").write_text(article_text(0), encoding="utf-8")  # same text
    (files / "blank.txt").write_text("\n\n", encoding="utf-8")  # bad
    (files / "latin1.txt").write_bytes('caf\xe9 said "hello"'.encode("latin-1"))  # bad
    lines = []
    for i in range(n // 2, n):
        lines.append(
            json.dumps(
                {
                    "text": article_text(i),
                    "url": f"https://news.example/{i}",
                    "outlet": OUTLETS[i % 3],
                    "date": f"2026-01-{1 + i % 28:02d}",
                }
            )
        )
    lines.append(
        json.dumps(
            {"text": "A different text, same page.", "url": f"https://news.example/{n // 2}/"}
        )
    )
    lines.append("{broken json")
    (root / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def make_corpus():
    """The corpus writer itself, for tests that want another size."""
    return write_corpus

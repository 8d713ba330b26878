"""docs/api.md's examples run and print what the page says (doctest over the Markdown)."""

from __future__ import annotations

import doctest
from pathlib import Path

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def test_docs_api_examples() -> None:
    result = doctest.testfile(
        str(API_DOC),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted > 20
    assert result.failed == 0, f"{result.failed} examples of docs/api.md failed (output above)"

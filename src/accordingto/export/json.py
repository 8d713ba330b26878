"""The JSON forms of an :class:`~accordingto.model.Analysis` (schema: ``docs/schema.md``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from accordingto.model import Analysis

__all__ = ["to_json", "to_jsonl_line"]


def to_jsonl_line(analysis: Analysis) -> str:
    """One analysis as one line of JSON (no trailing newline)."""
    return json.dumps(analysis.to_dict(), ensure_ascii=False, separators=(",", ":"))


def to_json(analyses: Sequence[Analysis]) -> str:
    """One analysis as an indented JSON object, several as an array of them."""
    data = [a.to_dict() for a in analyses]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)

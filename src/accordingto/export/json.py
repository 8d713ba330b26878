"""The JSON forms of an :class:`~accordingto.model.Analysis` (schema: ``docs/schema.md``).

Text stays readable (``ensure_ascii=False``), except the characters a terminal
would obey: ``json`` always escapes C0 controls (ESC is ``\\u001b``), and
:func:`dumps` escapes DEL and the C1 controls too (U+0080–U+009F, e.g. the
one-byte CSI U+009B).  The data is the same; printed JSON cannot drive a terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from accordingto.model import Analysis

__all__ = ["dumps", "to_json", "to_jsonl_line"]

_C1 = re.compile(r"[\x7f-\x9f]")


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **options)`` with DEL and C1 controls escaped.

    >>> dumps({"said": "no\\x9b2J"})
    '{"said": "no\\\\u009b2J"}'
    """
    text = json.dumps(value, ensure_ascii=False, **options)
    return _C1.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def to_jsonl_line(analysis: Analysis) -> str:
    """One analysis as one line of JSON (no trailing newline)."""
    return dumps(analysis.to_dict(), separators=(",", ":"))


def to_json(analyses: Sequence[Analysis]) -> str:
    """One analysis as an indented JSON object, several as an array of them."""
    data = [a.to_dict() for a in analyses]
    return dumps(data[0] if len(data) == 1 else data, indent=2)

"""Text made safe for a terminal: no escape sequences, no control characters.

An article (or a store built from the web) can hold raw ESC/OSC sequences that
set the window title, write the clipboard (OSC 52), move the cursor or hide
text.  Everything the terminal report and the query tables show passes through
:func:`printable` first.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

_ESCAPES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                  # CSI: cursor, colours, erase
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) .*?           # OSC (title, clipboard), DCS, SOS, PM, APC
      (?:\x07|\x1b\\|\x9c|(?=\n)|\Z)                        # … up to their terminator
    | \x1b [ -/]* [0-~]?                                    # any other ESC sequence, or a lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
#: C0 controls but tab and newline, DEL, and C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without escape sequences and control characters (tab and newline stay).

    >>> printable("Kyiv\\x1b]0;pwned\\x07 said\\x1b[2J \\x9b31mno\\r")
    'Kyiv said no'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))

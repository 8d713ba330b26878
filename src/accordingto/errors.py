"""The errors `accordingto` raises.  Each message says what to do about it.

The CLI turns any :class:`AccordingToError` into one line on stderr and its
``exit_code``; anything else is a bug, reported on one line too with exit code 70
(``ACCORDINGTO_DEBUG=1`` shows the traceback).  The store and the corpus run add
``StoreError`` (6) and ``RunError`` (7) in their own modules.
"""

from __future__ import annotations

__all__ = ["AccordingToError", "DataError", "FetchError", "InputError", "ModelError"]


class AccordingToError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1


class InputError(AccordingToError):
    """The input cannot be analysed: empty, binary, not UTF-8, too large, no article text."""

    exit_code = 2


class FetchError(AccordingToError):
    """A URL could not be fetched: timeout, HTTP error, too large, not HTML or text."""

    exit_code = 3


class ModelError(AccordingToError):
    """The spaCy pipeline is missing or cannot be loaded."""

    exit_code = 4


class DataError(AccordingToError):
    """An evaluation data set is missing or malformed."""

    exit_code = 5

"""One input document, and the warnings reading one gives.

A corpus reader yields :class:`Document` values: an article, or the reason it
could not be read.  What reading a document *survived* (a file skipped, a
field with a broken character, a charset ignored) is a warning that names the
document: a log record of the ``accordingto.ingest`` logger at level WARNING
whose message starts with the document's name, and whose ``source`` attribute
is that name.  A program shows them with any logging handler; under a rich
progress bar, ``rich.logging.RichHandler(console=progress.console)`` prints them
above the bar without breaking it.
"""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, cast

from accordingto.model import Article

__all__ = [
    "WARNINGS_LOGGER",
    "Document",
    "file_documents",
    "open_input",
    "replace_surrogates",
    "warn",
]

#: The logger of every per-document warning (its records have a ``source`` attribute).
WARNINGS_LOGGER = "accordingto.ingest"

_log = logging.getLogger(WARNINGS_LOGGER)
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Document:
    """One input document: its ``article``, or the ``error`` that kept it from being read."""

    source: str
    article: Article | None = None
    error: str | None = None
    #: Where it failed: ``read`` or ``fetch``.
    stage: str = "read"


def warn(source: str, message: str) -> None:
    """Log ``"<source>: <message>"`` as a warning about one document (see the module docs)."""
    _log.warning("%s: %s", source, message, extra={"source": source})


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate (``"\\ud800"``, from a JSON escape) replaced by U+FFFD.

    A surrogate cannot be encoded, stored or analyzed; one replacement character
    for one code point keeps every offset.  Returns the text and the count.

    >>> replace_surrogates("caf\\udce9 said")
    ('caf\\ufffd said', 1)
    """
    return _SURROGATE.subn("\ufffd", text)


def open_input(path: str) -> IO[bytes]:
    """The file at ``path`` opened for reading bytes, decompressed if its name ends in ``.gz``."""
    if path.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def file_documents(
    path: str, read: Callable[[IO[bytes]], Iterator[Document]]
) -> Iterator[Document]:
    """``read`` over the opened file; a file that cannot be opened is one failed document,
    and one that stops being readable half-way ends with one failed document ``path#end``."""
    try:
        f = open_input(path)
    except OSError as e:
        yield Document(path, error=f"{path}: cannot be read ({e.strerror or e}); check the path")
        return
    with f:
        try:
            yield from read(f)
        except (OSError, EOFError, gzip.BadGzipFile) as e:  # truncated or corrupt in the middle
            yield Document(
                f"{path}#end",
                error=f"{path}: stops being readable ({e}); the documents "
                "before this point were read",
            )

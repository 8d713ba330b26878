"""The errors `accordingto` raises.  Each message says what to do about it.

The CLI turns any :class:`AccordingToError` into one line on stderr and the
class's ``exit_code``, one per class; a subclass has a code of its own where a
script would act on the difference (a timeout can be given a larger budget)::

    AccordingToError ............ 1   anything else done on purpose
    ├── InputError .............. 2   the input cannot be analyzed (and command-line usage errors)
    │   ├── QueryError .......... 2   a query's filter or search text is malformed (a usage error)
    │   └── AnalysisTimeout ..... 12  one document took longer than its time budget
    ├── FetchError .............. 3   a URL could not be fetched
    ├── ModelError .............. 4   the spaCy pipeline is missing or broken
    ├── DataError ............... 5   an evaluation data set is missing or malformed
    ├── StoreError .............. 6   the store cannot be opened or used (not a store, corrupt,
    │                                 another application's database, read-only for a run)
    ├── DiskFullError ........... 10  no space left on the device (the store or an output file)
    ├── RunError ................ 7   a run cannot go on (a worker died); a new run resumes
    │   └── NothingStoredError .. 11  a run stored nothing and some documents failed
    ├── SparkError .............. 8   Spark cannot run here, or the job failed
    ├── OutputError ............. 9   the output cannot be written (missing folder, no permission)
    └── PoolBusy ................ 1   the web app's analyzers are all busy (HTTP 503, Retry-After)

Outside the tree: :class:`Interrupted` (a ``KeyboardInterrupt``) ends the CLI
with 130 after Ctrl-C, 143 after SIGTERM (its message says what was kept); the CLI ends with 141 when
its reader goes away (``| head``: quietly, as a
process killed by SIGPIPE), and 70 for anything else, which is a bug (one line
too; ``ACCORDINGTO_DEBUG=1`` shows the traceback).

The old homes (``accordingto.store.StoreError``, ``accordingto.corpus.run.RunError``,
``accordingto.spark.SparkError``) re-export the same classes.
"""

from __future__ import annotations

__all__ = [
    "AccordingToError",
    "AnalysisTimeout",
    "DataError",
    "DiskFullError",
    "FetchError",
    "InputError",
    "Interrupted",
    "ModelError",
    "NothingStoredError",
    "OutputError",
    "PoolBusy",
    "QueryError",
    "RunError",
    "SparkError",
    "StoreError",
]


class AccordingToError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1


class InputError(AccordingToError):
    """The input cannot be analyzed: empty, binary, not UTF-8, too large, no article text."""

    exit_code = 2


class QueryError(InputError):
    """A query's filter or search text is malformed; the message gives the accepted forms."""


class AnalysisTimeout(InputError):
    """One document took longer than its time budget; the others are still analyzed."""

    exit_code = 12


class FetchError(AccordingToError):
    """A URL could not be fetched: timeout, HTTP error, too large, not HTML or text."""

    exit_code = 3


class ModelError(AccordingToError):
    """The spaCy pipeline is missing or cannot be loaded."""

    exit_code = 4


class DataError(AccordingToError):
    """An evaluation data set is missing or malformed."""

    exit_code = 5


class StoreError(AccordingToError):
    """The store cannot be opened or used; the message says what to do."""

    exit_code = 6


class DiskFullError(AccordingToError):
    """No space is left on the device being written; what was written before is kept."""

    exit_code = 10


class RunError(AccordingToError):
    """The run cannot go on; what was written is kept and a new run resumes."""

    exit_code = 7


class NothingStoredError(RunError):
    """A run stored no article and some documents failed (see: accordingto failures)."""

    exit_code = 11


class SparkError(AccordingToError):
    """Spark cannot run here (pyspark or Java is missing), or the job failed."""

    exit_code = 8


class OutputError(AccordingToError):
    """The output cannot be written: its folder is missing, or it is not writable."""

    exit_code = 9


class PoolBusy(AccordingToError):
    """Every worker is busy and the queue is full; try again in ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Interrupted(KeyboardInterrupt):
    """The user stopped the command (Ctrl-C, SIGTERM); the message says what was kept.

    A :class:`KeyboardInterrupt`, not an :class:`AccordingToError`, so that
    ``except Exception`` never swallows it.
    """

    def __init__(self, message: str = "interrupted", *, exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code

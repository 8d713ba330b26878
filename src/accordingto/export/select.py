"""Which attributions to keep: by what their cue reports (``--only``) and by confidence.

One filter shared by ``analyze``, the query commands, ``run``'s summary and the Python
API (:func:`accordingto.select`).  ``only`` keeps the attributions whose ``reported_as``
is one of the kinds given (speech, thought, intention, action, other);
``min_confidence`` keeps those whose ``confidence`` (the attribution's probability) is
at least that.  Nothing else of the analysis changes: speakers, marks, diagnostics and
events stay as they are.

>>> selection = Selection.of(only="speech,thought", min_confidence=0.5)
>>> selection.describe()
'--only speech,thought --min-confidence 0.5'
>>> parse_only("gossip")
Traceback (most recent call last):
...
accordingto.errors.QueryError: only: 'gossip' is not a kind of attribution; give one or more of speech, thought, intention, action, other, separated by commas (e.g. speech,thought)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass

from accordingto.errors import QueryError
from accordingto.model import Analysis, Quote, ReportedAs

__all__ = ["KINDS", "Only", "Selection", "check_confidence", "parse_only", "select"]

#: The kinds ``only`` accepts, in the order the report shows them.
KINDS: tuple[str, ...] = tuple(k.value for k in ReportedAs)

#: What ``only`` may be given as: ``"speech"``, ``"speech,thought"``, or kinds in a list.
Only = str | ReportedAs | Iterable[str | ReportedAs]


def parse_only(value: Only | None) -> frozenset[ReportedAs] | None:
    """The kinds named by ``value`` (``None``: every kind).

    Raises:
        QueryError: an unknown kind, or none at all (``""``).
    """
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    names = [str(getattr(v, "value", v)).strip().lower() for v in items]
    if not any(names):
        raise QueryError(f"only: no kind given; give one or more of {', '.join(KINDS)}")
    for name in names:
        if name not in KINDS:
            raise QueryError(
                f"only: {name!r} is not a kind of attribution; give one or more of "
                f"{', '.join(KINDS)}, separated by commas (e.g. speech,thought)"
            )
    return frozenset(ReportedAs(n) for n in names if n)


def check_confidence(value: float | None) -> float | None:
    """``value`` if it is a probability (0 to 1); ``None`` stays ``None``.

    Raises:
        QueryError: anything else (``2``, ``-0.1``, ``nan``).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QueryError(
            f"min confidence {value!r} is not a number; give one from 0 to 1, e.g. 0.5"
        )
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise QueryError(
            f"min confidence {value:g} is not a probability; give a number from 0 to 1, e.g. 0.5"
        )
    return float(value)


@dataclass(frozen=True, slots=True)
class Selection:
    """Kinds to keep (``None``: all) and the lowest confidence kept (``None``: any)."""

    only: frozenset[ReportedAs] | None = None
    min_confidence: float | None = None

    @classmethod
    def of(cls, *, only: Only | None = None, min_confidence: float | None = None) -> Selection:
        """A checked selection (see :func:`parse_only`, :func:`check_confidence`)."""
        return cls(parse_only(only), check_confidence(min_confidence))

    @property
    def everything(self) -> bool:
        """Whether this keeps every attribution."""
        return self.only is None and not self.min_confidence

    def keeps(self, quote: Quote) -> bool:
        """Whether ``quote`` is kept."""
        if self.only is not None and quote.reported_as not in self.only:
            return False
        return self.min_confidence is None or quote.confidence >= self.min_confidence

    def apply(self, analysis: Analysis) -> Analysis:
        """``analysis`` with only the attributions kept (the same object when all are)."""
        if self.everything:
            return analysis
        return dataclasses.replace(analysis, quotes=tuple(filter(self.keeps, analysis.quotes)))

    def kinds(self) -> list[str]:
        """The kinds kept, in :data:`KINDS` order (every kind when ``only`` is ``None``)."""
        return [k for k in KINDS if self.only is None or ReportedAs(k) in self.only]

    def describe(self) -> str:
        """The options that make this selection, as typed on the command line."""
        parts = []
        if self.only is not None:
            parts.append("--only " + ",".join(self.kinds()))
        if self.min_confidence is not None:
            parts.append(f"--min-confidence {self.min_confidence:g}")
        return " ".join(parts)


def select(
    analysis: Analysis, *, only: Only | None = None, min_confidence: float | None = None
) -> Analysis:
    """``analysis`` with only the attributions of the kinds in ``only`` and of at least
    ``min_confidence``; speakers, marks, diagnostics and events are kept as they are.

    Raises:
        QueryError: an unknown kind, or a ``min_confidence`` outside 0 to 1.
    """
    return Selection.of(only=only, min_confidence=min_confidence).apply(analysis)

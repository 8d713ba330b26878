"""A per-document time budget, checked between the analyzer's stages and inside its long loops.

>>> Deadline(None).check("parse")  # no budget: never runs out
>>> try:
...     Deadline(0.0, what="article a_1").check("parse")
... except AnalysisTimeout as e:
...     print(str(e).split(";")[0])
article a_1 took more than its 0 s budget (at: parse)
"""

from __future__ import annotations

import time

from accordingto.errors import AnalysisTimeout

__all__ = ["Deadline"]


class Deadline:
    """When the analysis of one document must be done; ``budget_s=None`` means never."""

    __slots__ = ("_at", "budget_s", "what")

    def __init__(
        self, budget_s: float | None, *, start: float | None = None, what: str = "the article"
    ) -> None:
        self.budget_s = budget_s
        self.what = what
        now = time.monotonic() if start is None else start
        self._at = None if budget_s is None else now + budget_s

    def check(self, stage: str) -> None:
        """Raise :class:`~accordingto.errors.AnalysisTimeout` if the time is up."""
        if self._at is not None and time.monotonic() >= self._at:
            raise AnalysisTimeout(
                f"{self.what} took more than its {self.budget_s:g} s budget (at: {stage}); "
                "split it into smaller articles or give a larger budget"
            )

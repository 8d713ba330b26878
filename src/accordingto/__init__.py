"""accordingto: who said what, according to whom, in news articles.

>>> import accordingto
>>> analysis = accordingto.analyze("“We will rebuild,” the mayor said.")  # doctest: +SKIP
>>> [(q.kind, analysis.speaker(q.speaker_id).name) for q in analysis.quotes]  # doctest: +SKIP
"""

from .errors import AccordingToError, DataError, FetchError, InputError, ModelError
from .model import (
    SCHEMA_VERSION,
    Analysis,
    Article,
    Diagnostic,
    EntityKind,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    Span,
    Speaker,
)


def __getattr__(name: str):
    """``analyze`` and ``analyze_many`` import spaCy: load them on first use."""
    if name in ("analyze", "analyze_many"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'accordingto' has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "AccordingToError",
    "Analysis",
    "Article",
    "DataError",
    "Diagnostic",
    "EntityKind",
    "FetchError",
    "InputError",
    "Mark",
    "MarkKind",
    "ModelError",
    "Quote",
    "QuoteKind",
    "Span",
    "Speaker",
    "analyze",
    "analyze_many",
]

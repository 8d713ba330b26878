"""accordingto: who said what, according to whom, in news articles.

>>> import accordingto
>>> analysis = accordingto.analyze("“We will rebuild,” the mayor said.")  # doctest: +SKIP
>>> [(q.kind, analysis.speaker(q.speaker_id).name) for q in analysis.quotes]  # doctest: +SKIP
"""

from typing import TYPE_CHECKING

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
    ReportedAs,
    Span,
    Speaker,
)

if TYPE_CHECKING:  # the lazy names, for type checkers
    from .api import (
        HTMLInputWarning,
        analyze,
        analyze_html,
        analyze_many,
        analyze_url,
        read,
    )
    from .export.displacy import render_html
    from .export.select import select

#: Names that import spaCy or trafilatura, loaded on first use (``import accordingto`` is cheap).
_LAZY = {
    "HTMLInputWarning": "api",
    "analyze": "api",
    "analyze_html": "api",
    "analyze_many": "api",
    "analyze_url": "api",
    "read": "api",
    "select": "export.select",
    "render_html": "export.displacy",
}


def __getattr__(name: str):
    """Load the names of :data:`_LAZY` from their modules on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
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
    "HTMLInputWarning",
    "InputError",
    "Mark",
    "MarkKind",
    "ModelError",
    "Quote",
    "QuoteKind",
    "ReportedAs",
    "Span",
    "Speaker",
    "analyze",
    "analyze_html",
    "analyze_many",
    "analyze_url",
    "read",
    "render_html",
    "select",
]

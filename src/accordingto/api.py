"""The public entry points: text, HTML, a URL or a file in, an :class:`Analysis` out.

:func:`analyze` and :func:`analyze_many` take plain text (or an :class:`Article`); a string
that is an HTML page is recognised (:func:`looks_like_html`) and reduced to its main text
first, with a :class:`HTMLInputWarning`, because analyzing markup as prose finds hundreds of
"quotations" in its attribute values.  :func:`analyze_html`, :func:`analyze_url` and
:func:`read` say what the input is and never warn.

Reading reuses :mod:`accordingto.ingest` (the CLI's reader); analyzing reuses
:mod:`accordingto.pipeline`.

Every analyzing function takes ``only`` (``"speech"``, ``"speech,thought"`` or a list of
kinds) and ``min_confidence`` (0 to 1), as ``accordingto analyze --only …
--min-confidence …`` does: the analysis then holds only those attributions.
:func:`select` does the same to an analysis you already have.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator

from . import ingest, pipeline
from .export.select import Only, Selection, select
from .model import Analysis, Article
from .nlp.load import check_model, load_pipeline

__all__ = [
    "HTMLInputWarning",
    "analyze",
    "analyze_html",
    "analyze_many",
    "analyze_url",
    "looks_like_html",
    "read",
    "select",
]


class HTMLInputWarning(UserWarning):
    """:func:`analyze` was given an HTML page as text; it read the page's main text instead."""


def looks_like_html(text: str) -> bool:
    """Whether a string is an HTML page rather than an article's text.

    The heuristic is :func:`accordingto.ingest.detect_format`'s, the one the CLI uses: the
    text starts with ``<!doctype html`` or ``<html``, or starts with a tag and has at least
    3 HTML tags, or has at least 20 HTML tags in its first 64 KiB.  A news story that
    mentions ``<div>`` once is still text.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("“Use the <p> tag,” the teacher said.")
    False
    """
    return ingest.detect_format(text[: 64 * 1024].encode("utf-8")) == "html"


def read_html(html: str, *, url: str | None = None) -> Article:
    """The main text and metadata of an HTML page (given as a string), as an :class:`Article`.

    Raises:
        InputError: the page has no article text.
    """
    return ingest.read_bytes(
        html.encode("utf-8"), source=url or "the HTML", format="html", url=url, charset="utf-8"
    )


def _as_article(item: Article | str) -> Article | str:
    if isinstance(item, str) and looks_like_html(item):
        warnings.warn(
            "this text is an HTML page: analyzing its main text; call "
            "accordingto.analyze_html(html) to say so and silence this warning",
            HTMLInputWarning,
            stacklevel=3,
        )
        return read_html(item)
    return item


def _pipeline_for(nlp, model: str | None):
    """``nlp`` when given, else the analyzer's pipeline for ``model`` (None: the default or
    ``ACCORDINGTO_MODEL``); an unknown model is an :class:`InputError` before any analysis."""
    if nlp is not None or model is None:
        return nlp
    return load_pipeline(model=check_model(model))


def analyze(
    article: Article | str,
    *,
    nlp=None,
    model: str | None = None,
    budget_s: float | None = None,
    events: bool = True,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> Analysis:
    """Analyze one article: an :class:`Article` or its text (an HTML page is read as HTML).

    ``budget_s``: seconds the analysis may take (else ``AnalysisTimeout``); ``nlp``: a spaCy
    pipeline to use instead of the analyzer's own; ``model``: ``"fast"`` (the default) or
    ``"accurate"`` (the MiniLM tagger beside the CNN: ``docs/model.md``; None reads
    ``ACCORDINGTO_MODEL``); ``events=False``: skip the reported events;
    ``only``, ``min_confidence``: keep only those attributions (see :func:`select`).

    Raises:
        InputError: the text is empty or too long (or an HTML page without article text), or
            ``model`` names no model.
        QueryError: ``only`` names an unknown kind or ``min_confidence`` is not 0 to 1
            (checked before anything is analyzed).
    """
    keep = Selection.of(only=only, min_confidence=min_confidence)
    nlp = _pipeline_for(nlp, model)
    return keep.apply(
        pipeline.analyze(_as_article(article), nlp=nlp, budget_s=budget_s, events=events)
    )


def analyze_many(
    articles: Iterable[Article | str],
    *,
    batch_size: int = 16,
    nlp=None,
    model: str | None = None,
    budget_s: float | None = None,
    events: bool = True,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> Iterator[Analysis]:
    """Analyze articles in order, parsing them in batches (HTML pages are read as HTML).

    ``budget_s`` is per article (see :func:`accordingto.pipeline.analyze_many`);
    ``events=False`` skips the reported events; ``only``, ``min_confidence``: keep only
    those attributions (see :func:`select`; checked when called, before any analysis).
    """
    keep = Selection.of(only=only, min_confidence=min_confidence)
    nlp = _pipeline_for(nlp, model)
    found = pipeline.analyze_many(
        (_as_article(a) for a in articles),
        batch_size=batch_size,
        nlp=nlp,
        budget_s=budget_s,
        events=events,
    )
    return found if keep.everything else map(keep.apply, found)


def analyze_html(
    html: str,
    *,
    url: str | None = None,
    nlp=None,
    model: str | None = None,
    budget_s: float | None = None,
    events: bool = True,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> Analysis:
    """Analyze the main text of an HTML page; ``url`` is recorded (and helps find metadata).

    ``only``, ``min_confidence``: keep only those attributions (see :func:`select`).

    Raises:
        InputError: the page has no article text.
    """
    keep = Selection.of(only=only, min_confidence=min_confidence)
    nlp = _pipeline_for(nlp, model)
    return keep.apply(
        pipeline.analyze(read_html(html, url=url), nlp=nlp, budget_s=budget_s, events=events)
    )


def analyze_url(
    url: str,
    *,
    timeout: float = ingest.DEFAULT_TIMEOUT,
    max_bytes: int = ingest.DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    nlp=None,
    model: str | None = None,
    budget_s: float | None = None,
    events: bool = True,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> Analysis:
    """Fetch an http(s) URL and analyze the article in it.

    Loopback, private, link-local and reserved addresses are refused unless
    ``allow_private=True`` (see :mod:`accordingto.ingest.guard`); ``only``,
    ``min_confidence``: keep only those attributions (see :func:`select`).

    Raises:
        FetchError: the page could not be fetched (timeout, HTTP error, too large).
        InputError: the page has no article text.
    """
    keep = Selection.of(only=only, min_confidence=min_confidence)
    nlp = _pipeline_for(nlp, model)
    article = ingest.read_url(
        url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
    )
    return keep.apply(pipeline.analyze(article, nlp=nlp, budget_s=budget_s, events=events))


def read(
    path_or_url: str,
    *,
    format: str | None = None,
    timeout: float = ingest.DEFAULT_TIMEOUT,
    max_bytes: int = ingest.DEFAULT_MAX_BYTES,
    allow_private: bool = False,
) -> Article:
    """Read one article from a file path, an http(s) URL or ``-`` (standard input).

    The format (``text``, ``markdown``, ``html``) comes from the extension, the Content-Type
    or the content, unless ``format`` says it; ``allow_private`` as for :func:`analyze_url`.
    Pass the result to :func:`analyze`.

    Raises:
        InputError: missing, unreadable or unusable input.
        FetchError: a URL could not be fetched.
    """
    return ingest.read_input(
        path_or_url,
        format=format,
        timeout=timeout,
        max_bytes=max_bytes,
        allow_private=allow_private,
    )
